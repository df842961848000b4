package dev.keyline.hsm;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Raw PKCS#11 calls (sessions, key-pair generation with a full template, attributes, object search, C_WrapKey)
 * through the JDK's own binding, {@code sun.security.pkcs11.wrapper}, for what SunPKCS11's JCA face cannot do.
 *
 * <p>Why this quirk exists: device keys need per-key attributes (a label per device, CKA_ID from the public key)
 * and key wrapping with CKM_AES_KEY_WRAP_PAD. SunPKCS11 takes generation attributes only from a provider-wide
 * template (see {@link SunPkcs11Configs}: one provider instance per label would mean one per device), JDK 17 has
 * no key-wrap cipher at all, and JDK 18+ maps {@code AES/KWP/NoPadding} to CKM_AES_KEY_WRAP_KWP and passes an IV
 * as mechanism parameter to CKM_AES_KEY_WRAP_PAD, which SoftHSM 2.6 refuses (CKR_ARGUMENTS_BAD) — see the
 * module README. The binding is the one SunPKCS11 itself uses: the same module instance, initialised once, so
 * these sessions share SunPKCS11's login. It needs {@value JdkInternalSlotList#ADD_EXPORTS}, like
 * {@link JdkInternalSlotList}. Every reflective detail lives in this one class; values cross it as plain
 * {@code Boolean}, {@code Long}, {@code byte[]} (the binding's own conversions).
 *
 * <p>Thread-safe: PKCS#11 calls on distinct sessions may run concurrently (the module is initialised with
 * CKF_OS_LOCKING_OK); callers never share a session between threads.
 */
final class JdkInternalPkcs11 {

    private static final String PACKAGE = "sun.security.pkcs11.wrapper.";
    private static final long CKF_OS_LOCKING_OK = 0x2L;
    private static final long CKF_RW_SESSION = 0x2L;
    private static final long CKF_SERIAL_SESSION = 0x4L;

    private static final Map<Path, JdkInternalPkcs11> MODULES = new ConcurrentHashMap<>();
    private static volatile Binding binding;

    private final Path library;
    private final Object module;

    private JdkInternalPkcs11(Path library, Object module) {
        this.library = library;
        this.module = module;
    }

    /**
     * The module at {@code library}, initialised (or found initialised by SunPKCS11).
     *
     * @throws HsmException when the JDK's binding is not open to Keyline, naming the JVM option that opens it
     */
    static JdkInternalPkcs11 of(Path library) {
        return MODULES.computeIfAbsent(library, l -> {
            Binding b = binding();
            try {
                Object initArgs = b.initArgsType.getConstructor().newInstance();
                b.initArgsType.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK);
                return new JdkInternalPkcs11(l, b.getInstance.invoke(null, l.toString(), "C_GetFunctionList", initArgs, false));
            } catch (InvocationTargetException e) {
                throw new LibraryNotFoundException(l + " is not a usable PKCS#11 module (" + e.getCause().getMessage()
                        + "): check `library` in the HSM configuration", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw unavailable(e);
            }
        });
    }

    long openSession(long slotId) {
        return (Long) call("C_OpenSession", binding().openSession, slotId, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
    }

    void closeSession(long session) {
        call("C_CloseSession", binding().closeSession, session);
    }

    /** @return the public and the private key's handles */
    long[] generateKeyPair(long session, long mechanism, List<Attribute> publicTemplate, List<Attribute> privateTemplate) {
        Binding b = binding();
        return (long[]) call("C_GenerateKeyPair", b.generateKeyPair, session, b.mechanism(mechanism),
                b.attributes(publicTemplate), b.attributes(privateTemplate));
    }

    /** The values of {@code types} on {@code object}: {@code Boolean}, {@code Long}, {@code byte[]} or {@code char[]}. */
    Object[] getAttributes(long session, long object, long... types) {
        Binding b = binding();
        Object template = b.emptyAttributes(types);
        call("C_GetAttributeValue", b.getAttributeValue, session, object, template);
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = b.value(java.lang.reflect.Array.get(template, i));
        }
        return values;
    }

    void setAttributes(long session, long object, List<Attribute> attributes) {
        Binding b = binding();
        call("C_SetAttributeValue", b.setAttributeValue, session, object, b.attributes(attributes));
    }

    /** Handles of the objects matching {@code template} (at most {@code max}). */
    long[] findObjects(long session, List<Attribute> template, int max) {
        Binding b = binding();
        call("C_FindObjectsInit", b.findObjectsInit, session, b.attributes(template));
        try {
            return (long[]) call("C_FindObjects", b.findObjects, session, (long) max);
        } finally {
            call("C_FindObjectsFinal", b.findObjectsFinal, session);
        }
    }

    /** Handles of every object matching {@code template}, fetched in batches. */
    long[] findAllObjects(long session, List<Attribute> template) {
        Binding b = binding();
        call("C_FindObjectsInit", b.findObjectsInit, session, b.attributes(template));
        try {
            long[] all = new long[0];
            while (true) {
                long[] batch = (long[]) call("C_FindObjects", b.findObjects, session, 1024L);
                if (batch.length == 0) {
                    return all;
                }
                long[] grown = java.util.Arrays.copyOf(all, all.length + batch.length);
                System.arraycopy(batch, 0, grown, all.length, batch.length);
                all = grown;
            }
        } finally {
            call("C_FindObjectsFinal", b.findObjectsFinal, session);
        }
    }

    /** C_WrapKey with a mechanism that takes no parameter. */
    byte[] wrapKey(long session, long mechanism, long wrappingKey, long key) {
        Binding b = binding();
        return (byte[]) call("C_WrapKey", b.wrapKey, session, b.mechanism(mechanism), wrappingKey, key);
    }

    /** C_CopyObject: a new object like {@code object}, with {@code changes} applied. */
    long copyObject(long session, long object, List<Attribute> changes) {
        Binding b = binding();
        return (Long) call("C_CopyObject", b.copyObject, session, object, b.attributes(changes));
    }

    void destroyObject(long session, long object) {
        call("C_DestroyObject", binding().destroyObject, session, object);
    }

    /** The flags of {@code mechanism} in {@code slotId} (CKF_WRAP, ...); -1 when the token does not offer it. */
    long mechanismFlags(long slotId, long mechanism) {
        Binding b = binding();
        long[] offered = (long[]) call("C_GetMechanismList", b.mechanismList, slotId);
        for (long m : offered) {
            if (m == mechanism) {
                Object info = call("C_GetMechanismInfo", b.mechanismInfo, slotId, mechanism);
                try {
                    return info.getClass().getField("flags").getLong(info);
                } catch (ReflectiveOperationException e) {
                    throw unavailable(e);
                }
            }
        }
        return -1;
    }

    /** One attribute of a template: its CKA_ type and a {@code Boolean}, {@code Long} or {@code byte[]} value. */
    record Attribute(long type, Object value) {
        Attribute {
            if (!(value instanceof Boolean || value instanceof Long || value instanceof byte[])) {
                throw new IllegalArgumentException("attribute values are Boolean, Long or byte[]");
            }
        }
    }

    private Object call(String function, Method method, Object... args) {
        try {
            return method.invoke(module, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String code = SunPkcs11Failures.returnValue(cause).orElse(String.valueOf(cause.getMessage()));
            throw new Pkcs11CallException(function, code, library, cause);
        } catch (IllegalAccessException e) {
            throw unavailable(e);
        }
    }

    private static Binding binding() {
        Binding b = binding;
        if (b == null) {
            try {
                b = new Binding();
            } catch (ReflectiveOperationException e) {
                throw unavailable(e);
            }
            binding = b;
        }
        return b;
    }

    private static HsmException unavailable(Exception e) {
        return new HsmException("device keys in a token need the JDK's PKCS#11 binding, which this JVM does not open to "
                + "Keyline (" + e.getClass().getSimpleName() + "): run with " + JdkInternalSlotList.ADD_EXPORTS
                + " (the keyline launcher and the executable jar set it)", e);
    }

    /** The reflective handles, looked up once. */
    private static final class Binding {
        final Class<?> initArgsType;
        final Method getInstance;
        final Class<?> attributeType;
        final Constructor<?> attributeWithValue;
        final Constructor<?> attributeEmpty;
        final Field attributeValue;
        final Constructor<?> mechanismType;
        final Method openSession;
        final Method closeSession;
        final Method generateKeyPair;
        final Method getAttributeValue;
        final Method setAttributeValue;
        final Method findObjectsInit;
        final Method findObjects;
        final Method findObjectsFinal;
        final Method wrapKey;
        final Method destroyObject;
        final Method copyObject;
        final Method mechanismList;
        final Method mechanismInfo;

        Binding() throws ReflectiveOperationException {
            Class<?> pkcs11 = Class.forName(PACKAGE + "PKCS11");
            initArgsType = Class.forName(PACKAGE + "CK_C_INITIALIZE_ARGS");
            getInstance = pkcs11.getMethod("getInstance", String.class, String.class, initArgsType, boolean.class);
            attributeType = Class.forName(PACKAGE + "CK_ATTRIBUTE");
            attributeWithValue = attributeType.getConstructor(long.class, Object.class);
            attributeEmpty = attributeType.getConstructor(long.class);
            attributeValue = attributeType.getField("pValue");
            Class<?> mechanismClass = Class.forName(PACKAGE + "CK_MECHANISM");
            mechanismType = mechanismClass.getConstructor(long.class);
            Class<?> attributes = attributeType.arrayType();
            Class<?> notify = Class.forName(PACKAGE + "CK_NOTIFY");
            openSession = pkcs11.getMethod("C_OpenSession", long.class, long.class, Object.class, notify);
            closeSession = pkcs11.getMethod("C_CloseSession", long.class);
            generateKeyPair = pkcs11.getMethod("C_GenerateKeyPair", long.class, mechanismClass, attributes, attributes);
            getAttributeValue = pkcs11.getMethod("C_GetAttributeValue", long.class, long.class, attributes);
            setAttributeValue = pkcs11.getMethod("C_SetAttributeValue", long.class, long.class, attributes);
            findObjectsInit = pkcs11.getMethod("C_FindObjectsInit", long.class, attributes);
            findObjects = pkcs11.getMethod("C_FindObjects", long.class, long.class);
            findObjectsFinal = pkcs11.getMethod("C_FindObjectsFinal", long.class);
            wrapKey = pkcs11.getMethod("C_WrapKey", long.class, mechanismClass, long.class, long.class);
            destroyObject = pkcs11.getMethod("C_DestroyObject", long.class, long.class);
            copyObject = pkcs11.getMethod("C_CopyObject", long.class, long.class, attributes);
            mechanismList = pkcs11.getMethod("C_GetMechanismList", long.class);
            mechanismInfo = pkcs11.getMethod("C_GetMechanismInfo", long.class, long.class);
        }

        Object mechanism(long type) {
            try {
                return mechanismType.newInstance(type);
            } catch (ReflectiveOperationException e) {
                throw unavailable(e);
            }
        }

        Object attributes(List<Attribute> template) {
            Object array = java.lang.reflect.Array.newInstance(attributeType, template.size());
            try {
                for (int i = 0; i < template.size(); i++) {
                    Attribute a = template.get(i);
                    java.lang.reflect.Array.set(array, i, attributeWithValue.newInstance(a.type(), a.value()));
                }
            } catch (ReflectiveOperationException e) {
                throw unavailable(e);
            }
            return array;
        }

        Object emptyAttributes(long[] types) {
            Object array = java.lang.reflect.Array.newInstance(attributeType, types.length);
            try {
                for (int i = 0; i < types.length; i++) {
                    java.lang.reflect.Array.set(array, i, attributeEmpty.newInstance(types[i]));
                }
            } catch (ReflectiveOperationException e) {
                throw unavailable(e);
            }
            return array;
        }

        Object value(Object attribute) {
            try {
                return attributeValue.get(attribute);
            } catch (IllegalAccessException e) {
                throw unavailable(e);
            }
        }
    }
}
