package io.ecivk.eci.mock.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a tiny shell script into commands: {@code ;} and newlines separate commands, whitespace separates words,
 * single quotes keep everything literally, double quotes keep whitespace and {@code ;}, a backslash escapes the next
 * character outside single quotes. No variables, pipes or redirections: the simulator's interpreter has none.
 */
final class ScriptParser {

    private ScriptParser() {
    }

    /**
     * @throws IllegalArgumentException for an unterminated quote (the message is what {@code sh} would print)
     */
    static List<List<String>> parse(String script) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < script.length() && "\"\\$`".indexOf(script.charAt(i + 1)) >= 0) {
                    word.append(script.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < script.length()) {
                word.append(script.charAt(++i));
                inWord = true;
            } else if (c == ';' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                }
                word.setLength(0);
                inWord = false;
                if (!words.isEmpty()) {
                    commands.add(List.copyOf(words));
                }
                words.clear();
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                }
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("Syntax error: Unterminated quoted string");
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (!words.isEmpty()) {
            commands.add(List.copyOf(words));
        }
        return commands;
    }
}
