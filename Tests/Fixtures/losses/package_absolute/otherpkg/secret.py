# Another package beside segpkg: a file of segpkg must never read it.
TOKEN = "read-from-another-package"
