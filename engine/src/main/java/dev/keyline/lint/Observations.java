package dev.keyline.lint;

import java.util.ArrayList;
import java.util.List;

/** What a doctor check saw: what passed (said in a few words) and what did not. Not thread-safe. */
final class Observations {

    private final List<String> passed = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    void ok(String what) {
        passed.add(what);
    }

    void add(Finding finding) {
        findings.add(finding);
    }

    List<String> passed() {
        return List.copyOf(passed);
    }

    List<Finding> findings() {
        return List.copyOf(findings);
    }
}
