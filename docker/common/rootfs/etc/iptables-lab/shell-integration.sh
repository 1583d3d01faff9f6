# shellcheck shell=bash
# iptables-lab shell integration: bash marks each command with OSC 633 sequences (as VS Code
# does) so the lab server can tell where a command line, its output and its exit code are.
# Terminals ignore these sequences, so the learner sees nothing of them.
[ -n "$BASH_VERSION" ] && [ -n "$PS1" ] && [ -z "$__lab_si" ] || return 0
__lab_si=1

__lab_osc() { printf '\e]633;%s\a' "$1"; }

# Escape so the command line cannot end or split the marker: \ ; and control chars become \xNN.
__lab_escape() {
	local s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		# shellcheck disable=SC1003 # '\' is a quoted backslash, not an escaped quote
		case "$c" in
			'\') out+='\\' ;;
			';') out+='\x3b' ;;
			[[:cntrl:]]) printf -v c '\\x%02x' "'$c"; out+=$c ;;
			*) out+=$c ;;
		esac
	done
	printf '%s' "$out"
}

# Names on the command line that are shell functions or aliases, e.g. "function:iptables,".
# A function named like a program turns it into something else (iptables() { :; } "succeeds"
# silently), so the server must know before it believes what the command seemed to do.
__lab_shadowed() {
	local IFS=$' \t\n;&|()<>' w out=''
	local -a words
	read -r -a words <<<"$1"
	for w in "${words[@]}"; do
		[[ $w =~ ^[A-Za-z_][A-Za-z0-9_.:+-]*$ ]] || continue
		[[ $w == __lab_* ]] && continue
		if declare -F -- "$w" >/dev/null; then
			out+="function:$w,"
		elif alias -- "$w" >/dev/null 2>&1; then
			out+="alias:$w,"
		fi
	done
	printf '%s' "$out"
}

# PS0 runs after a command line is read, before it executes. The array index sets
# __lab_running in this shell (not a subshell) and expands to nothing.
__lab_ps0() {
	local line
	line=$(HISTTIMEFORMAT='' builtin history 1)
	line=${line#"${line%%[![:space:]]*}"}
	line=${line#*[[:space:]]}
	line=${line#"${line%%[![:space:]]*}"}
	__lab_osc "E;$(__lab_escape "$line")"
	__lab_osc "P;LabShadowed=$(__lab_escape "$(__lab_shadowed "$line")")"
	__lab_osc 'C'
}

__lab_precmd() {
	local status=$?
	if [ -n "$__lab_running" ]; then
		__lab_osc "D;$status"
		__lab_running=
	fi
	__lab_osc 'A'
	return $status
}

# shellcheck disable=SC2016 # expanded by bash when it shows PS0, not now
PS0='${__lab_none[__lab_running=1]}$(__lab_ps0)'
PROMPT_COMMAND="__lab_precmd${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
