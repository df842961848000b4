package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * README and {@code --help} (picocli's declared options) name the same options for every command.
 *
 * <p>How README is read: its "Commands" table has a row per command (more rows where a command has alternative
 * forms, such as {@code ca init} and {@code ca init --hsm}); the row's first cell starts with {@code `keyline CMD}
 * and every {@code --option} in the row belongs to that command. That row must name every option the command
 * declares. Anywhere else in README, an example {@code keyline CMD ...} (in a code span or a shell line) may only use
 * options the command declares. {@code --keyline.targets.<name>.<key>=value} stands for the commands that take
 * unmatched {@code --keyline.targets.*} arguments, and their {@code --help} must tell of them (picocli does not).
 * Hidden options (deprecated old names) count as declared: README names them as deprecated.
 */
class ReadmeOptionsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Set<String> STANDARD = Set.of("--help", "--version");
    private static final String TARGET_SETTINGS = "--keyline.targets.";
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*(?:\\.targets\\.)?");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    @Test
    void everyCommandsOptionsAreTheSameInReadmeAndHelp() throws IOException {
        Map<String, Set<String>> declared = declared();
        List<String> lines = Files.readAllLines(README);
        Map<String, Set<String>> table = new TreeMap<>();
        Map<String, Set<String>> examples = new TreeMap<>();
        boolean inCommands = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inCommands = line.equals("## Commands");
            }
            if (inCommands && line.startsWith("| `keyline ")) {
                String firstCell = line.substring(1, line.indexOf(" |", 1));
                Matcher span = CODE_SPAN.matcher(firstCell);
                assertThat(span.find()).isTrue();
                String command = command(span.group(1), declared.keySet());
                assertThat(command).as("the command of README row: %s", line).isNotNull();
                // Another command named in the row (`keyline run --key-pool DIR`) keeps its options.
                int end = 1 + span.end();
                String own = line.substring(0, end) + CODE_SPAN.matcher(line.substring(end))
                        .replaceAll(m -> m.group(1).startsWith("keyline ") ? "" : Matcher.quoteReplacement(m.group()));
                table.computeIfAbsent(command, c -> new TreeSet<>()).addAll(options(own));
            }
            for (String usage : usages(line)) {
                String command = command(usage, declared.keySet());
                if (command != null) {
                    examples.computeIfAbsent(command, c -> new TreeSet<>()).addAll(options(usage));
                }
            }
        }

        List<String> problems = new ArrayList<>();
        declared.forEach((command, options) -> {
            Set<String> inReadme = table.getOrDefault(command, Set.of());
            if (!table.containsKey(command)) {
                problems.add("README's Commands table has no row for `keyline " + command + "`");
            }
            Set<String> missing = new TreeSet<>(options);
            missing.removeAll(inReadme);
            if (!missing.isEmpty() && table.containsKey(command)) {
                problems.add("keyline " + command + " --help has, README's Commands table lacks: " + missing);
            }
            Set<String> unknown = new TreeSet<>(inReadme);
            unknown.addAll(examples.getOrDefault(command, Set.of()));
            unknown.removeAll(options);
            unknown.removeAll(STANDARD);
            if (!unknown.isEmpty()) {
                problems.add("README names for keyline " + command + ", its --help lacks: " + unknown);
            }
        });
        assertThat(problems).as("README against --help").isEmpty();
    }

    /** Every runnable (sub)command, by its path under {@code keyline}, with its declared long options. */
    private static Map<String, Set<String>> declared() {
        Map<String, Set<String>> commands = new TreeMap<>();
        collect(new CommandLine(new Keyline()), commands);
        return commands;
    }

    private static void collect(CommandLine cli, Map<String, Set<String>> commands) {
        CommandSpec spec = cli.getCommandSpec();
        if (cli.getSubcommands().isEmpty()) {
            Set<String> options = new TreeSet<>();
            for (OptionSpec option : spec.options()) {
                for (String name : option.names()) {
                    if (name.startsWith("--") && !STANDARD.contains(name)) {
                        options.add(name);
                    }
                }
            }
            if (!spec.unmatchedArgsBindings().isEmpty()) {
                options.add(TARGET_SETTINGS);
                // picocli prints nothing for unmatched arguments: the command's own help must tell of them.
                // (Joined: picocli may wrap a long word at a dot.)
                assertThat(cli.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s*\\n\\s*", ""))
                        .as("%s --help", spec.qualifiedName(" ")).contains(TARGET_SETTINGS);
            }
            commands.put(spec.qualifiedName(" ").substring("keyline ".length()), options);
        }
        // picocli lists aliases as subcommands again: visit each command once.
        cli.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, commands));
    }

    /** The longest declared command that a {@code keyline ...} usage starts with, or null. */
    private static String command(String usage, Set<String> commands) {
        String words = usage.replaceFirst("^(\\./)?keyline\\s+", "") + " ";
        return commands.stream().filter(c -> words.startsWith(c + " ")).max((a, b) -> a.length() - b.length()).orElse(null);
    }

    private static Set<String> options(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** Usages in a line: code spans that start with {@code keyline }, and a shell line that runs {@code ./keyline}. */
    private static List<String> usages(String line) {
        List<String> found = new ArrayList<>();
        String trimmed = line.strip();
        if (trimmed.startsWith("./keyline ") || trimmed.startsWith("keyline ")) {
            found.add(trimmed.replaceFirst("\\s+#.*$", ""));
        }
        Matcher span = CODE_SPAN.matcher(line);
        while (span.find()) {
            if (span.group(1).startsWith("keyline ")) {
                found.add(span.group(1));
            }
        }
        return found;
    }
}
