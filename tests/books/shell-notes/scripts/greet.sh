#!/bin/sh
# ANCHOR: loop
for name in "$@"; do
  echo "Hello, $name"
done
# ANCHOR_END: loop
