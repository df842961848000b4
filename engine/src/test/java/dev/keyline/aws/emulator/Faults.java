package dev.keyline.aws.emulator;

/**
 * What the emulator injects, each drawn per request from one seeded random generator.
 *
 * @param throttleRate    share of requests answered 400 ThrottlingException, before doing anything
 * @param serverErrorRate share answered 500 InternalFailure or 503 ServiceUnavailable (half each), before doing anything
 * @param lostReplyRate   share of successful writes that are carried out and whose reply is then lost
 * @param lostReply       how a reply is lost
 */
public record Faults(double throttleRate, double serverErrorRate, double lostReplyRate, LostReply lostReply) {

    public static final Faults NONE = new Faults(0, 0, 0, LostReply.INTERNAL_FAILURE);

    /** How the emulator loses a reply after carrying out the request. */
    public enum LostReply {
        /** answers 500 InternalFailureException */
        INTERNAL_FAILURE,
        /** closes the connection without an answer */
        CLOSE_CONNECTION
    }

    public Faults {
        check(throttleRate, "throttleRate");
        check(serverErrorRate, "serverErrorRate");
        check(lostReplyRate, "lostReplyRate");
        if (throttleRate + serverErrorRate > 1) {
            throw new IllegalArgumentException("throttleRate + serverErrorRate exceed 1");
        }
        if (lostReply == null) {
            throw new IllegalArgumentException("lostReply is null");
        }
    }

    private static void check(double rate, String name) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + rate);
        }
    }
}
