// Command worker re-indexes the catalogue once and exits.
package main

import (
	"fmt"

	"example.com/services/internal/catalog"
)

func main() {
	for _, item := range catalog.Items() {
		fmt.Println("indexed", item)
	}
}
