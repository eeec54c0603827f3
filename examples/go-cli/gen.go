//go:build ignore

// gen.go is a generator run by hand (go run gen.go); it is not part of the build.
package main

func main() {}
