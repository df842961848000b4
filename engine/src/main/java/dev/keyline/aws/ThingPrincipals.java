package dev.keyline.aws;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ListThingPrincipalsResponse;

/** ListThingPrincipals over all its pages, under the target's limiter: the principals attached to one thing. */
final class ThingPrincipals {

    private ThingPrincipals() {
    }

    /**
     * @throws AwsCallFailedException as AWS answered; ResourceNotFound when there is no such thing
     */
    static List<String> list(PacedCaller caller, IotClient iot, String thingName)
            throws AwsCallFailedException, InterruptedException {
        List<String> principals = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            ListThingPrincipalsResponse answer = caller.call(IotOperation.LIST_THING_PRINCIPALS,
                    () -> iot.listThingPrincipals(r -> r.thingName(thingName).nextToken(page)));
            principals.addAll(answer.principals());
            token = answer.nextToken();
        } while (token != null && !token.isEmpty());
        return principals;
    }
}
