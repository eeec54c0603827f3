package com.example;

/** Tests stay out of the build context (.dockerignore) and the image. */
final class HelloTest {}
