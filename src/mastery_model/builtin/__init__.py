"""The formats that come with the library, each a package with both its directions, registered as
one plugin the way any other package's plugin is."""
