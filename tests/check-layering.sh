#!/bin/sh
# make check's entry to tests/check-layering.py: includes against the layer
# order, and file pairs that call each other in the built objects.
set -eu
top=${abs_top_srcdir:?}
build=$(dirname "$(dirname "${KSIFT:?}")")
exec python3 "$top/tests/check-layering.py" --top "$top" --objects "$build"
