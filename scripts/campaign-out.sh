# shellcheck shell=bash
# What a campaign's output directory (lwfuzz fuzz -o OUT) says, for the
# scripts and campaign tests that read it. OUT/coverage.tsv holds
# "seconds executions btrfs_edges" at each status line, the last one
# written when the campaign ends (docs/fuzzing.md).

# campaign_executions OUT: executions at the campaign's last status line.
campaign_executions() {
	tail -1 "$1/coverage.tsv" 2>/dev/null | awk '{ print $2 + 0 }'
}

# campaign_edges OUT: btrfs edges covered at its last status line.
campaign_edges() {
	tail -1 "$1/coverage.tsv" 2>/dev/null | awk '{ print $3 + 0 }'
}
