import { describe, expect, it } from 'vitest';

import {
  findLsofTcpPeerPids,
  findLsofUnixPeerPids,
  findSsPeerPids,
  findTcpClientInodes,
  parseLsofFiles,
  parseSsUnixSockets,
} from '../../../../src/main/core/api/peerProcessText';

// All samples below are constructed examples, not captures. They follow the
// layout of Linux's /proc/net/tcp and of iproute2 6.1 `ss -xp` as seen in this
// test environment, and of `lsof -F` on macOS as its Darwin backend prints it.
// Hub port 8080 is 1F90 in hex, client port 50000 is C350.

const procNetTcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 401200 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 401210 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 401211 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:C351 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
   4: 0200A8C0:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 401212 1 0000000000000000 20 4 30 10 -1
   5: 0100007F:C350 0100007F:0050 01 00000000:00000000 00:00000000 00000000  1000        0 401213 1 0000000000000000 20 4 30 10 -1
`;

const procNetTcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:C352 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 401300 1 0000000000000000 20 4 30 10 -1
   1: 00000000000000000000000001000000:C352 00000000000000000000000001000000:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 401301 1 0000000000000000 20 4 30 10 -1
`;

const hubSocket = '/tmp/mlops-hub-1000/hub.sock';

const ssOutput = `Netid State Recv-Q Send-Q Local Address:Port                 Peer Address:Port Process
u_str LISTEN 0     511    ${hubSocket} 401100            * 0      users:(("node",pid=4934,fd=20))
u_str ESTAB 0      0      ${hubSocket} 401106            * 401105 users:(("node",pid=4934,fd=21))
u_str ESTAB 0      0      * 401105            * 401106 users:(("python3",pid=5120,fd=3))
u_str ESTAB 0      0      ${hubSocket} 401120            * 401119 users:(("node",pid=4934,fd=24))
u_str ESTAB 0      0      * 401119            * 401120 users:(("node",pid=5200,fd=20),("node",pid=5201,fd=20))
u_str ESTAB 0      0      * 392043            * 392044 users:(("chromium",pid=2177,fd=38))
u_str ESTAB 0      0      /run/user/1000/bus 30001            * 30002
`;

const macSocket = '/Users/ana/Library/Application Support/MLOps Hub/run/hub.sock';

const lsofUnixOutput = `p812
f17
d0x8f3c2a1b0c4d5e01
n${macSocket}
f19
d0x8f3c2a1b0c4d6f22
n${macSocket}
f20
d0x8f3c2a1b0c4d7a33
n${macSocket}
p1430
f3
d0x8f3c2a1b0c4d8b44
n->0x8f3c2a1b0c4d6f22
p1502
f5
d0x8f3c2a1b0c4d9c55
n->0x8f3c2a1b0c4d7a33
p301
f4
d0x8f3c2a1b0c4dad66
n/var/run/mDNSResponder
`;

describe('findTcpClientInodes', () => {
  it('finds the client end of a loopback connection', () => {
    expect(findTcpClientInodes(procNetTcp, 50000, 8080)).toEqual(['401211']);
  });

  it('skips sockets without an inode', () => {
    expect(findTcpClientInodes(procNetTcp, 50001, 8080)).toEqual([]);
  });

  it('reads IPv4-mapped rows of tcp6', () => {
    expect(findTcpClientInodes(procNetTcp6, 50002, 8080)).toEqual(['401300']);
  });

  it('returns nothing for an unknown port', () => {
    expect(findTcpClientInodes(procNetTcp, 40000, 8080)).toEqual([]);
  });
});

describe('parseSsUnixSockets', () => {
  it('parses paths, inodes and owners', () => {
    const rows = parseSsUnixSockets(ssOutput);

    expect(rows).toHaveLength(7);
    expect(rows[1]).toEqual({ localAddress: hubSocket, inode: 401106, peerInode: 401105, owners: [{ pid: 4934, fd: 21 }] });
    expect(rows[4]?.owners).toEqual([
      { pid: 5200, fd: 20 },
      { pid: 5201, fd: 20 },
    ]);
    expect(rows[6]).toEqual({ localAddress: '/run/user/1000/bus', inode: 30001, peerInode: 30002, owners: [] });
  });

  it('keeps spaces in a socket path', () => {
    const line = `u_str ESTAB 0 0 ${macSocket} 501 * 502 users:(("node",pid=9,fd=30))`;

    expect(parseSsUnixSockets(line)[0]?.localAddress).toBe(macSocket);
  });
});

describe('findSsPeerPids', () => {
  const rows = parseSsUnixSockets(ssOutput);

  it('follows one accepted socket by inode', () => {
    expect(findSsPeerPids(rows, { socketPath: hubSocket, hubPid: 4934, serverSocket: 401106 })).toEqual([5120]);
  });

  it('lists every owner of a shared client socket', () => {
    expect(findSsPeerPids(rows, { socketPath: hubSocket, hubPid: 4934, serverSocket: 401120 })).toEqual([5200, 5201]);
  });

  it('follows every accepted socket without an inode', () => {
    expect(findSsPeerPids(rows, { socketPath: hubSocket, hubPid: 4934, serverSocket: null })).toEqual([5120, 5200, 5201]);
  });

  it('ignores sockets of another process on the path', () => {
    expect(findSsPeerPids(rows, { socketPath: hubSocket, hubPid: 1, serverSocket: null })).toEqual([]);
  });
});

describe('parseLsofFiles', () => {
  it('groups fields by process and file', () => {
    const files = parseLsofFiles(lsofUnixOutput);

    expect(files).toHaveLength(6);
    expect(files[1]).toEqual({ pid: 812, fd: '19', device: '0x8f3c2a1b0c4d6f22', name: macSocket });
    expect(files[3]).toEqual({ pid: 1430, fd: '3', device: '0x8f3c2a1b0c4d8b44', name: '->0x8f3c2a1b0c4d6f22' });
  });
});

describe('findLsofUnixPeerPids', () => {
  const files = parseLsofFiles(lsofUnixOutput);

  it('follows one accepted socket by fd', () => {
    expect(findLsofUnixPeerPids(files, { socketPath: macSocket, hubPid: 812, serverSocket: 19 })).toEqual([1430]);
  });

  it('follows every accepted socket without an fd', () => {
    expect(findLsofUnixPeerPids(files, { socketPath: macSocket, hubPid: 812, serverSocket: null })).toEqual([1430, 1502]);
  });

  it('finds no peer of the listening socket', () => {
    expect(findLsofUnixPeerPids(files, { socketPath: macSocket, hubPid: 812, serverSocket: 17 })).toEqual([]);
  });
});

describe('findLsofTcpPeerPids', () => {
  it('drops the hub from both ends of the connection', () => {
    expect(findLsofTcpPeerPids('p1430\nf7\np812\nf23\n', 812)).toEqual([1430]);
  });

  it('returns nothing for empty output', () => {
    expect(findLsofTcpPeerPids('', 812)).toEqual([]);
  });
});
