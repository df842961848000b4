package dev.keyline.job;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

import dev.keyline.text.InertText;

/**
 * The log file's stack traces (Spring Boot's {@code %wEx}) with every exception message made
 * {@link InertText inert}: the trace keeps its own line structure, while a message quoting a manifest value or a
 * certificate subject can neither break a line nor control the terminal. Class names and frames come from code and
 * are left as they are. Registered by {@link KeylineLoggingSystem}.
 */
public final class InertThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return super.throwableProxyToString(new InertProxy(tp));
    }

    /** The same throwable, cause and suppressed ones included, whose messages are inert. */
    private record InertProxy(IThrowableProxy proxy) implements IThrowableProxy {

        @Override
        public String getMessage() {
            return InertText.of(proxy.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return InertText.of(proxy.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return proxy.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return proxy.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return proxy.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return proxy.getCause() == null ? null : new InertProxy(proxy.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = proxy.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] inert = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                inert[i] = new InertProxy(suppressed[i]);
            }
            return inert;
        }

        @Override
        public boolean isCyclic() {
            return proxy.isCyclic();
        }
    }
}
