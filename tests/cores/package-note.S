/* A package note as systemd's package-notes (and Fedora's builds) link into
   every ELF file: name "FDO", type 0xcafe1a7e, JSON describing the package.
   Linked into tests/cores.sh's frame-pointer build of crashprog. */
	.section .note.package, "a", @note
	.balign 4
	.long 2f - 1f		/* name size */
	.long 4f - 3f		/* descriptor size */
	.long 0xcafe1a7e	/* type */
1:	.asciz "FDO"
2:	.balign 4
3:	.asciz "{\"type\":\"deb\",\"name\":\"crashprog\",\"version\":\"1.2-3\",\"architecture\":\"amd64\"}"
4:	.balign 4
	.section .note.GNU-stack, "", @progbits
