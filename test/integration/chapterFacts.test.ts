import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { address, newSessionId, openPorts, sh, testRuntime } from '../support/labRuntime';

const CHAPTER_PORTS = [21, 22, 25, 53, 79, 80, 110, 143, 443, 515, 993, 995];
const { runtime } = testRuntime('facts');
let deployment: LabDeployment;
let m1: string;

beforeAll(async () => {
  deployment = await runtime.create(newSessionId(), chapterTopology);
  m1 = address(deployment, 'machine1', 'lan');
});
afterAll(async () => {
  if (deployment) await runtime.destroy(deployment.deploymentId);
});

describe('the chapter, on real machines', () => {
  it('Machine 1 answers ping from Machine 2 with the default rules', async () => {
    const ping = await sh(runtime, deployment, 'machine2', `ping -c 1 -W 2 ${m1}`);
    expect(ping.exitCode).toBe(0);
    expect(ping.stdout).toMatch(/1 received/);
  });

  it('lets Machine 2 log in to Machine 1 over ssh as root, with the least-privilege capability set', async () => {
    const ssh = await sh(
      runtime,
      deployment,
      'machine2',
      `sshpass -p iptables-lab ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@${m1} hostname`,
    );
    expect(ssh.stdout.trim()).toBe('machine1');
  });

  it('serves a web page on port 80 that names the machine', async () => {
    const page = await sh(runtime, deployment, 'office-pc', 'curl -s -m 5 http://machine1/');
    expect(page.stdout).toContain('Machine 1');
  });

  it('with the firewall stopped, nmap from Machine 2 finds exactly the twelve services', async () => {
    const stop = await sh(runtime, deployment, 'machine1', 'service iptables stop');
    expect(stop.exitCode).toBe(0);
    const scan = await sh(runtime, deployment, 'machine2', `nmap -n ${m1}`, 60_000);
    expect(openPorts(scan.stdout)).toEqual(CHAPTER_PORTS);
  });

  it('with the firewall started again, only ssh and http are open', async () => {
    const start = await sh(runtime, deployment, 'machine1', 'service iptables start');
    expect(start.exitCode).toBe(0);
    const scan = await sh(runtime, deployment, 'machine2', `nmap -n ${m1}`, 60_000);
    expect(openPorts(scan.stdout)).toEqual([22, 80]);
  });

  it('commenting out the ICMP rule and restarting turns ping into Destination Host Prohibited', async () => {
    const edit = await sh(
      runtime,
      deployment,
      'machine1',
      `sed -i 's/^-A RH-Firewall-1-INPUT -p icmp/#&/' /etc/sysconfig/iptables && service iptables restart`,
    );
    expect(edit.stdout).toMatch(/Applying iptables firewall rules:.*OK/);
    const ping = await sh(runtime, deployment, 'machine2', `ping -c 2 -W 2 ${m1}`);
    expect(ping.stdout).toMatch(/Destination Host Prohibited/);
  });

  it('a rule inserted live and saved survives a restart of Machine 1', async () => {
    await sh(
      runtime,
      deployment,
      'machine1',
      'iptables -I RH-Firewall-1-INPUT 5 -p tcp --dport 443 -j ACCEPT && service iptables save',
    );
    await runtime.restart(deployment, 'machine1');
    const live = await sh(runtime, deployment, 'machine1', 'iptables -S RH-Firewall-1-INPUT');
    expect(live.stdout).toMatch(/--dport 443 -j ACCEPT/);
    const scan = await sh(runtime, deployment, 'machine2', `nmap -n -p 443 ${m1}`, 30_000);
    expect(openPorts(scan.stdout)).toEqual([443]);
  });

  it('a file without COMMIT makes the restart fail visibly', async () => {
    const restart = await sh(
      runtime,
      deployment,
      'machine1',
      `sed -i '/^COMMIT/d' /etc/sysconfig/iptables && service iptables restart`,
    );
    expect(restart.exitCode).not.toBe(0);
    expect(restart.stdout + restart.stderr).toMatch(/FAILED/);
    expect(restart.stdout + restart.stderr).toMatch(/iptables-restore/);
  });
});
