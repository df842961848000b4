package dev.keyline.x509;

import java.util.Optional;

/**
 * One check of a subject attribute. {@link SubjectName} refuses any attribute for which one of
 * {@link SubjectRules#DEFAULT} answers a message; a linter may run more rules (or these) and report
 * their messages as warnings instead.
 *
 * <p>Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface SubjectRule {

    /** Why the attribute is not acceptable, naming the field, the value and the fix; empty when it passes. */
    Optional<String> check(SubjectName.Attribute attribute);
}
