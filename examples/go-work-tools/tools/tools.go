//go:build tools

// Package tools pins the code generators the repository runs with `go generate`.
package tools

import _ "golang.org/x/tools/cmd/stringer"
