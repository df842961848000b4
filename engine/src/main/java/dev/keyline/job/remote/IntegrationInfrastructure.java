package dev.keyline.job.remote;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.integration.context.IntegrationContextUtils;

/**
 * The one bean Spring Integration's AMQP adapters look up when used on their own, outside a context with
 * {@code @EnableIntegration}: an evaluation context for their expressions, of which Keyline sets none (nothing from
 * a message is ever evaluated). Keyline's context does not
 * enable Spring Integration, which would start its infrastructure in every command, local runs and {@code status}
 * included; only the remote manager and workers use the two adapters.
 */
final class IntegrationInfrastructure {

    private IntegrationInfrastructure() {
    }

    static BeanFactory minimal() {
        DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
        factory.registerSingleton(IntegrationContextUtils.INTEGRATION_EVALUATION_CONTEXT_BEAN_NAME,
                new StandardEvaluationContext());
        return factory;
    }
}
