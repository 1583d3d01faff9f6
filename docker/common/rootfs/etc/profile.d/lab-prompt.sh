# shellcheck shell=bash
# iptables-lab: Red Hat style prompt, e.g. [root@machine1 ~]#
if [ -n "$BASH_VERSION" ] && [ -n "$PS1" ]; then
	PS1='[\u@\h \W]\$ '
	case "$TERM" in ""|dumb) export TERM=xterm-256color ;; esac
	alias ls='ls --color=auto'
	alias grep='grep --color=auto'
	alias ll='ls -l --color=auto'
fi
