package dev.keyline.job;

import java.util.Optional;

import dev.keyline.aws.Registrars;

/**
 * Hands the run's {@link Registrars} to the register step. The CLI fills it before starting or restarting a run
 * that registers (after the targets' configuration was checked): clients and rate limiters are objects, not job
 * parameters. Empty: the run registers nothing.
 */
public final class RegistrarHolder {

    private volatile Registrars registrars;

    public void set(Registrars registrars) {
        this.registrars = registrars;
    }

    public Optional<Registrars> registrars() {
        return Optional.ofNullable(registrars);
    }
}
