// Package lib holds what the shop's programs share.
package lib

// Greeting is the text the API answers with.
func Greeting(name string) string { return "hello from " + name }
