package dev.keyline.job.remote;

import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.integration.amqp.outbound.AmqpOutboundEndpoint;
import org.springframework.integration.support.MessageBuilder;

/**
 * The manager's side of the queue: sends each partition's request through Spring Integration's AMQP outbound
 * adapter, persistent (a broker restart keeps it) and routed by the default exchange to the run's queue.
 */
final class PartitionRequests {

    private final AmqpOutboundEndpoint endpoint;

    PartitionRequests(BrokerConnection broker, String queue) {
        broker.declare(queue);
        RabbitTemplate template = new RabbitTemplate(broker.factory());
        AmqpOutboundEndpoint outbound = new AmqpOutboundEndpoint(template);
        outbound.setExchangeName("");
        outbound.setRoutingKey(queue);
        outbound.setDefaultDeliveryMode(MessageDeliveryMode.PERSISTENT);
        outbound.setBeanFactory(IntegrationInfrastructure.minimal());
        outbound.afterPropertiesSet();
        this.endpoint = outbound;
    }

    void send(PartitionRequest request) {
        endpoint.handleMessage(MessageBuilder.withPayload(request.toJson())
                .setHeader("keyline_job_execution", request.jobExecutionId())
                .build());
    }
}
