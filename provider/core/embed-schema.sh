#!/bin/sh
# embed-schema.sh NAME FILE... - print an assembly file that embeds each
# schema JSON file verbatim and a table of them:
#
#   const struct tf_schema_file thingform_schema_files[] = {
#           { "resources/random_id.json", "<contents>" }, ..., { 0, 0 } };
#
# (see schema.h).  Paths are given relative to schema/NAME/.
set -eu
name=$1; shift
printf '\t.section .rodata\n'
i=0
for f in "$@"; do
	rel=${f#schema/$name/}
	printf 'schema_path_%d:\n\t.asciz "%s"\n' "$i" "$rel"
	printf 'schema_text_%d:\n\t.incbin "%s"\n\t.byte 0\n' "$i" "$f"
	i=$((i + 1))
done
printf '\t.section .data.rel.ro\n\t.balign 16\n\t.globl thingform_schema_files\n'
printf 'thingform_schema_files:\n'
j=0
while [ "$j" -lt "$i" ]; do
	printf '\t.dc.a schema_path_%d, schema_text_%d\n' "$j" "$j"
	j=$((j + 1))
done
printf '\t.dc.a 0, 0\n'
printf '\t.section .note.GNU-stack,"",@progbits\n'
