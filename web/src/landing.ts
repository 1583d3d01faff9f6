document.title = 'iptables-lab';
