package dev.keyline.hsm;

/**
 * Attributes of a private key as the token reports them.
 *
 * @param tokenObject CKA_TOKEN
 * @param sensitive   CKA_SENSITIVE
 * @param extractable CKA_EXTRACTABLE
 */
public record KeyAttributes(boolean tokenObject, boolean sensitive, boolean extractable) {
}
