#!/usr/bin/env bash
# Builds RaftMq in Release and runs `raftmq quickstart` from the repository root: a name server and the 3-node
# group of conf/dledger as separate processes, traffic, SIGKILL of the leader, and a loss/failover report.
# Extra arguments go to quickstart, e.g. `bash scripts/quickstart.sh --kills 20`. Logs: artifacts/quickstart/logs.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Cli/raftmq.csproj -c Release -nologo -v quiet
exec dotnet src/Cli/bin/Release/net10.0/raftmq.dll quickstart -l artifacts/quickstart/logs "$@"
