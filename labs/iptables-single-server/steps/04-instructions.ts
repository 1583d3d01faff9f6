import type { LabView } from '../../../labkit/types';
import { addrs } from '../machines';

export function icmpOffInstructions(view: LabView): string {
  const a = addrs(view);
  return `Time to see a rule change take effect on a live server. First, on **Machine 1**, keep a second copy of the rules under a name you can restore from in the next step, and turn the firewall back on after your scan:

\`\`\`machine1
cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-BAK
\`\`\`

\`\`\`machine1
service iptables start
\`\`\`

Now open \`/etc/sysconfig/iptables\` in an editor (\`vim\` or \`nano\`) and disable the rule that accepts ICMP by putting a \`#\` in front of it, so it reads:

\`\`\`
#-A RH-Firewall-1-INPUT -p icmp --icmp-type any -j ACCEPT
\`\`\`

Save the file. Nothing changes yet: the firewall only reads the file when it (re)starts.

On **Machine 2**, start a ping and **leave it running**:

\`\`\`machine2
ping ${a.m1}
\`\`\`

While it runs, go back to **Machine 1** and load your edited file:

\`\`\`machine1
service iptables restart
\`\`\`

Return to Machine 2 and watch the replies turn into *Destination Host Prohibited* errors. Stop the ping with **Ctrl+C**, then press **Check**. Can you tell which rule is now answering the pings?`;
}
