/** The chapter's rules file as intended, and as printed (with the book's misprints). */
export const INTENDED_RULES = `# Firewall configuration written by redhat-config-securitylevel
# Manual customization of this file is not recommended.
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:RH-Firewall-1-INPUT - [0:0]
-A INPUT -j RH-Firewall-1-INPUT
-A FORWARD -j RH-Firewall-1-INPUT
-A RH-Firewall-1-INPUT -i lo -j ACCEPT
-A RH-Firewall-1-INPUT -p icmp --icmp-type any -j ACCEPT
-A RH-Firewall-1-INPUT -p 50 -j ACCEPT
-A RH-Firewall-1-INPUT -p 51 -j ACCEPT
-A RH-Firewall-1-INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
-A RH-Firewall-1-INPUT -m state --state NEW -m tcp -p tcp --dport 80 -j ACCEPT
-A RH-Firewall-1-INPUT -m state --state NEW -m tcp -p tcp --dport 22 -j ACCEPT
-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited
COMMIT
`;

/**
 * The rules file as the lab ships it (docker/machine1/rootfs/etc/sysconfig/iptables; a unit test
 * keeps the two equal). Kept in the server, where the learner cannot rewrite it: a backup must
 * be a copy of this, not of whatever the file has become.
 */
export const SHIPPED_RULES = INTENDED_RULES;

/** The same file with the three misprints of the printed chapter. */
export const MISPRINTED_RULES = INTENDED_RULES.replace('-i lo -j', '-i To -j')
  .replace('--icmp-type any', '-icmp-type any')
  .replace('--dport 80 -j', '--dport 80-j');

export const BOOK_FILE = '/etc/sysconfig/iptables-book';
