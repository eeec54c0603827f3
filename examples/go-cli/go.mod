module github.com/acme/tzconv/v2

go 1.21
