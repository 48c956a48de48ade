#!/bin/sh
set -eu
echo created
