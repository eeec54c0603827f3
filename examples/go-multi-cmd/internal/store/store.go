// Package store keeps the shop's items.
package store

import "sort"

// Items returns the catalogue, sorted.
func Items() []string {
	items := []string{"kettle", "anvil", "bellows"}
	sort.Strings(items)
	return items
}
