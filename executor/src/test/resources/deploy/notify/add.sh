#!/bin/sh
set -eu
printf '%s\n' "${notification:-no notification}" >> "$dir/notifications"
echo "count=$((count + by))" >> "$IMAGE_BUILDER_OUTPUTS"
