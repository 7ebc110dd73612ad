#!/bin/sh
# tests/cli/test_bench_ssh.sh - `make bench SSHLOGIN=...` for real: a small bench matrix
# run twice, once with every job here and once with GNU parallel sending part of the jobs
# through ssh (--sshlogin) to an OpenSSH sshd of this test's own, on 127.0.0.1.  The
# jobs must really have gone through ssh (parallel's joblogs name the ssh host; sshd's log
# shows one login with the test's key and one session per such job) and the two runs'
# traces, JSON and CSV must be byte-identical.
#
# The sshd: /usr/sbin/sshd (Debian's openssh-server, a `make deps` package) on
# 127.0.0.1 only, on a free port, with a host key, a user key, authorized_keys,
# known_hosts and an sshd_config made in $TMP; nothing in /etc/ssh or ~/.ssh configures
# sshd or ssh, and nothing there is written.  sshd is stopped on every exit path.  Nothing else is assumed to run: CI
# runs this in a fresh mmdebstrap root (.ci/run), where no sshd service exists and
# /run/sshd, sshd's privilege-separation directory, is made here if missing.  Run as
# root, like `make test` on this project's machines and in CI.
. tests/cli/lib.sh

# What this test checks is bench.py and the ssh transport; it is the same whichever
# ptbench build the jobs run, and test_bench.sh already runs the bench's replays under
# ASan+UBSan.  The ASan pass of `make test` (scripts/run-tests.sh) would only run it a
# second time, slower, so it leaves it out and says so.
if [ "${PTB_TEST_BUILD:-}" = asan ]; then
	echo "bench over ssh: run in the plain pass only (the ASan pass would repeat it)"
	finish
	exit
fi

SSHD=/usr/sbin/sshd	# absolute: sshd re-executes itself and refuses a relative path
user=$(id -un)
sshd_pid=""
made_privsep=""

kill_sshd() {
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2>/dev/null
		wait "$sshd_pid" 2>/dev/null
		sshd_pid=""
	fi
}
stop_sshd() {
	kill_sshd
	if [ -n "$made_privsep" ]; then
		rmdir /run/sshd 2>/dev/null
		made_privsep=""
	fi
}
# Every signal that ends a shell by default runs the EXIT trap instead (SIGPIPE: the
# output piped into `head`, say, and closed early).
trap 'stop_sshd; rm -rf "$TMP"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# sshd -E ends its log lines with CR LF.
sshd_log() {
	tr -d '\r' <"$TMP/sshd.log"
}

# start_sshd PORT: sshd in the foreground of a background job, logging to $TMP/sshd.log;
# returns 0 once it listens, 1 if it exits first (e.g. the port was taken meanwhile) or
# does not listen within 10 s (then it is stopped).
start_sshd() {
	cat >"$TMP/sshd_config" <<-EOF
		ListenAddress 127.0.0.1
		Port $1
		HostKey $TMP/host_key
		PidFile $TMP/sshd.pid
		AuthorizedKeysFile $TMP/authorized_keys
		AuthenticationMethods publickey
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PermitRootLogin prohibit-password
		UsePAM no
		StrictModes no
		LogLevel VERBOSE
	EOF
	# StrictModes no: authorized_keys sits under /tmp, which is world-writable (sticky);
	# with StrictModes yes sshd refuses the key ("bad ownership or modes for directory").
	: >"$TMP/sshd.log"
	# --pdeathsig: should this shell die without running its traps (SIGKILL), the
	# kernel sends sshd SIGTERM (setpriv: util-linux, an Essential package).
	setpriv --pdeathsig TERM "$SSHD" -D -f "$TMP/sshd_config" -E "$TMP/sshd.log" &
	sshd_pid=$!
	i=0
	while [ $i -lt 100 ]; do
		sshd_log | grep -q "^Server listening on 127\.0\.0\.1 port $1\.\$" && return 0
		kill -0 "$sshd_pid" 2>/dev/null || { wait "$sshd_pid"; sshd_pid=""; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	kill_sshd
	return 1
}

ssh_dir_before=$(ls -la --time-style=+%s ~/.ssh 2>&1)
ssh-keygen -q -t ed25519 -N '' -C ptbench-test-host -f "$TMP/host_key" &&
	ssh-keygen -q -t ed25519 -N '' -C ptbench-test-user -f "$TMP/user_key" &&
	cp "$TMP/user_key.pub" "$TMP/authorized_keys" ||
	{ fail "throwaway host and user keys" "ssh-keygen failed"; finish; exit; }
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd && made_privsep=1
fi
port=""
for try in 1 2 3; do
	p=$(free_port)
	if start_sshd "$p"; then port=$p; break; fi
done
if [ -z "$port" ]; then
	fail "sshd listens on 127.0.0.1" "$(sshd_log | tail -5)"
	finish
	exit
fi
pass "sshd listens on 127.0.0.1 port $port"

# known_hosts holds exactly the throwaway host key: the host is checked, not trusted on
# first use; -F /dev/null: no ssh_config of this machine's applies.
printf '[127.0.0.1]:%s %s\n' "$port" "$(cat "$TMP/host_key.pub")" >"$TMP/known_hosts"
SSH="ssh -F /dev/null -p $port -i $TMP/user_key -o IdentitiesOnly=yes -o BatchMode=yes"
SSH="$SSH -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$TMP/known_hosts"
SSH="$SSH -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR $user@127.0.0.1"
ok "ssh logs in with the key, no prompt" $SSH true
log_base=$(sshd_log | wc -l)

# A small matrix (--quick): 2 workloads, 2 pressures, the sweep; its size is what the
# local run made (runs, jobs, traces), so the ssh run is held to the same counts.
# A space in the folder: every path in a job's command line must survive the local
# shell and the remote one.
R="$TMP/results dir"
small() {
	python3 scripts/bench/bench.py --quick --no-real --workloads camera,churn --pressures none,edge \
		--events 600 --pressure-events 100 --seeds 1 --stages traces,matrix,sweep,combine \
		--results "$R" "$@"
}
export PTBENCH
ok "bench: every job here" small --jobs 2
# The JSON holds the trace's path: both runs write into the same folder.
mv "$R" "$TMP/local"
ok "bench: one job slot here, one through ssh" small --sshlogin "1/:,1/$SSH"
nr_runs=$(ls "$TMP/local/runs" 2>/dev/null | grep -c '\.json$')
nr_jobs=$(cat "$TMP/local/tmp/"*.joblog 2>/dev/null | awk -F'\t' '$1 != "Seq"' | wc -l)
nr_traces=$(ls "$TMP/local/traces" 2>/dev/null | grep -c '\.ptb$')
[ "$nr_runs" -gt 0 ] && [ "$nr_jobs" -gt "$nr_runs" ] && [ "$nr_traces" -gt 0 ] &&
	pass "the local run: $nr_runs runs, $nr_jobs jobs, $nr_traces traces" ||
	fail "the local run made runs, jobs and traces" "$nr_runs runs, $nr_jobs jobs, $nr_traces traces"
eq "every run combined" "$(ls "$R/runs" 2>/dev/null | grep -c '\.json$')" "$nr_runs"

# parallel's joblogs: column 2 is the host, ":" for this machine, else the sshlogin.
jobs_on() {
	cat "$R"/tmp/*.joblog 2>/dev/null | awk -F'\t' -v want="$1" \
		'$1 != "Seq" { n += (want == "local") == ($2 == ":") } END { print n + 0 }'
}
local_jobs=$(jobs_on local)
ssh_jobs=$(jobs_on ssh)
eq "every job in a joblog" "$((local_jobs + ssh_jobs))" "$nr_jobs"
[ "$local_jobs" -gt 0 ] && [ "$ssh_jobs" -gt 0 ] &&
	pass "jobs ran both here ($local_jobs) and through ssh ($ssh_jobs)" ||
	fail "jobs ran both here and through ssh" "$local_jobs here, $ssh_jobs through ssh"
# sshd's side: after the probe login above, one login with the test's key and one
# command session per job that the joblogs put on the ssh host.
fp=$(ssh-keygen -l -f "$TMP/user_key.pub" | cut -d' ' -f2)
sshd_log | tail -n +"$((log_base + 1))" >"$TMP/sshd.new"
eq "sshd: one key login per ssh job" \
	"$(grep -c "^Accepted publickey for $user from 127\.0\.0\.1 port [0-9]* ssh2: ED25519 $fp\$" "$TMP/sshd.new")" \
	"$ssh_jobs"
eq "sshd: one command session per ssh job" \
	"$(grep -c "^Starting session: command for $user from 127\.0\.0\.1 " "$TMP/sshd.new")" "$ssh_jobs"

# Everything but tmp/ must be byte-identical: the synthetic traces, every run's JSON and
# CSV, runs.csv.  tmp/ holds parallel's joblogs: hosts, start times and durations.
diff -r -x tmp "$TMP/local" "$R" >"$TMP/diff" 2>&1 &&
	pass "traces, JSON and CSV byte-identical with and without ssh" ||
	fail "traces, JSON and CSV byte-identical with and without ssh" "$(head -5 "$TMP/diff")"

# A host whose jobs succeed but write into a folder that is not this one (no shared
# filesystem): here a stand-in for ssh that runs nothing.  The bench must stop, not go on
# with runs missing.
printf '#!/bin/sh\nexit 0\n' >"$TMP/elsewhere" && chmod +x "$TMP/elsewhere"
R=$TMP/elsewhere-results
small --stages traces --sshlogin "1/$TMP/elsewhere host" >"$TMP/out" 2>"$TMP/err"
eq "a host writing elsewhere: bench stops (exit 1)" "$?" 1
grep -q "^bench: synth: $nr_traces of $nr_traces outputs missing after every job succeeded, e.g. .*: with --sshlogin every host must write into this same folder\$" "$TMP/err" &&
	pass "a host writing elsewhere: bench says which outputs are missing and why" ||
	fail "a host writing elsewhere: bench says which outputs are missing and why" "$(tail -2 "$TMP/err")"

stop_sshd
eq "~/.ssh untouched" "$(ls -la --time-style=+%s ~/.ssh 2>&1)" "$ssh_dir_before"
finish
