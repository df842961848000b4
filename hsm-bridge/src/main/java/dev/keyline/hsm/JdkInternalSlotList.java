package dev.keyline.hsm;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists a module's slots and tokens through the JDK's own PKCS#11 binding, {@code sun.security.pkcs11.wrapper}.
 *
 * <p>Why this quirk exists: the SunPKCS11 provider chooses a token only by slot id or slot-list index and
 * exposes no token label or token flags, so {@code token-label}, "token not initialised" and "PIN locked"
 * cannot be answered through the public API. The same binding is already loaded by SunPKCS11 (one
 * instance per module path, shared), so this adds no native code. It is a JDK-internal package: the JVM
 * must run with {@value #ADD_EXPORTS} (the {@code keyline} launcher, the executable jar's manifest and the
 * test configuration set it). Without it, {@link #read} answers empty and callers fall back to what
 * SunPKCS11 itself reports. Every reflective detail lives in this one class.
 */
final class JdkInternalSlotList {

    /** The JVM option that opens the JDK's PKCS#11 binding to Keyline. */
    static final String ADD_EXPORTS = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

    private static final String PACKAGE = "sun.security.pkcs11.wrapper.";
    private static final long CKF_TOKEN_PRESENT = 0x1L;
    private static final long CKF_OS_LOCKING_OK = 0x2L;
    private static final long CKF_USER_PIN_INITIALIZED = 0x8L;
    private static final long CKF_TOKEN_INITIALIZED = 0x400L;
    private static final long CKF_USER_PIN_LOCKED = 0x40000L;

    private JdkInternalSlotList() {
    }

    /**
     * The module's slots; empty when the JDK's binding is not open to Keyline (see {@link #ADD_EXPORTS}).
     *
     * @throws LibraryNotFoundException when the module cannot be loaded or initialised
     */
    static Optional<List<SlotState>> read(Path library) {
        Class<?> pkcs11;
        Object module;
        try {
            pkcs11 = Class.forName(PACKAGE + "PKCS11");
            Class<?> initArgsType = Class.forName(PACKAGE + "CK_C_INITIALIZE_ARGS");
            Object initArgs = initArgsType.getConstructor().newInstance();
            // The same flags SunPKCS11 passes, so whichever initialises the shared module first, it is thread-safe.
            initArgsType.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK);
            Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class, initArgsType, boolean.class);
            module = getInstance.invoke(null, library.toString(), "C_GetFunctionList", initArgs, false);
        } catch (IllegalAccessException | ClassNotFoundException | NoSuchMethodException | NoSuchFieldException
                | InstantiationException e) {
            return Optional.empty();
        } catch (InvocationTargetException e) {
            throw new LibraryNotFoundException(library + " is not a usable PKCS#11 module ("
                    + e.getCause().getMessage() + "): check `library` in the HSM configuration", e.getCause());
        }
        try {
            long[] ids = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(module, false);
            List<SlotState> slots = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                Object slotInfo = pkcs11.getMethod("C_GetSlotInfo", long.class).invoke(module, ids[i]);
                Optional<SlotState.TokenState> token = Optional.empty();
                if ((flags(slotInfo) & CKF_TOKEN_PRESENT) != 0) {
                    Object tokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class).invoke(module, ids[i]);
                    long flags = flags(tokenInfo);
                    String label = new String((char[]) tokenInfo.getClass().getField("label").get(tokenInfo)).stripTrailing();
                    token = Optional.of(new SlotState.TokenState(label, (flags & CKF_TOKEN_INITIALIZED) != 0,
                            (flags & CKF_USER_PIN_INITIALIZED) != 0, (flags & CKF_USER_PIN_LOCKED) != 0));
                }
                slots.add(new SlotState(i, ids[i], token));
            }
            return Optional.of(slots);
        } catch (InvocationTargetException e) {
            throw new HsmException("cannot list the slots of " + library + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    private static long flags(Object info) throws ReflectiveOperationException {
        return info.getClass().getField("flags").getLong(info);
    }
}
