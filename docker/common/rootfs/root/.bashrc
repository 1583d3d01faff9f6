# shellcheck shell=bash
# ~/.bashrc: executed by bash(1) for non-login shells.
[ -z "$PS1" ] && return

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
case "$TERM" in ""|dumb) export TERM=xterm-256color ;; esac
export EDITOR=vim
export LS_OPTIONS='--color=auto'
HISTCONTROL=ignoredups
shopt -s checkwinsize

# Red Hat style prompt: [root@machine1 ~]#
PS1='[\u@\h \W]\$ '

alias ls='ls --color=auto'
alias ll='ls -l --color=auto'
alias l='ls -lA --color=auto'
alias grep='grep --color=auto'

# A login shell has it already (/etc/profile.d/bash_completion.sh): loading it twice doubles the
# time to the first prompt.
if [ -z "${BASH_COMPLETION_VERSINFO-}" ] && [ -f /usr/share/bash-completion/bash_completion ]; then
	# shellcheck source=/dev/null # Debian's, not in this repository
	. /usr/share/bash-completion/bash_completion
fi

# Mark commands for the lab server (see /etc/iptables-lab/shell-integration.sh).
# shellcheck source=docker/common/rootfs/etc/iptables-lab/shell-integration.sh
. /etc/iptables-lab/shell-integration.sh
