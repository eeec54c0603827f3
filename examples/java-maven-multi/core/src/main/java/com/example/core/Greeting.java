package com.example.core;

/** The library module: shaded into the app's jar. */
public final class Greeting {
    private Greeting() {}

    public static String of(String who) {
        return "hello, " + who + "\n";
    }
}
