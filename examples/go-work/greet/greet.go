// Package greet builds greetings, each with a trace ID.
package greet

import (
	"fmt"

	"github.com/google/uuid"
)

// Hello greets name (or "world").
func Hello(name string) string {
	if name == "" {
		name = "world"
	}
	return fmt.Sprintf("hello, %s [%s]", name, uuid.NewString())
}
