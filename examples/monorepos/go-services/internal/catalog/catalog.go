// Package catalog is shared by every command of the repository.
package catalog

// Items lists what the shop sells.
func Items() []string {
	return []string{"tea", "coffee", "cocoa"}
}
