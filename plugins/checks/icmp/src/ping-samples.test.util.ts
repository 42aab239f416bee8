// Test-only: ping outputs (the `.test.` in the name keeps them out of the published files).
// Output of iputils 20221126 (Debian 12) with LC_ALL=C, as the check runs it.

export const ALL_REPLIED = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.284 ms
64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.060 ms

--- 127.0.0.1 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 203ms
rtt min/avg/max/mdev = 0.060/0.172/0.284/0.112 ms
`

export const IPV6 = `PING ::1(::1) 56 data bytes
64 bytes from ::1: icmp_seq=1 ttl=64 time=0.140 ms
64 bytes from ::1: icmp_seq=2 ttl=64 time=0.034 ms

--- ::1 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 201ms
rtt min/avg/max/mdev = 0.034/0.087/0.140/0.053 ms
`

export const PARTIAL_LOSS = `PING 10.20.0.7 (10.20.0.7) 56(84) bytes of data.
64 bytes from 10.20.0.7: icmp_seq=1 ttl=63 time=1.21 ms
64 bytes from 10.20.0.7: icmp_seq=3 ttl=63 time=1.46 ms

--- 10.20.0.7 ping statistics ---
3 packets transmitted, 2 received, 33.3333% packet loss, time 405ms
rtt min/avg/max/mdev = 1.210/1.335/1.460/0.125 ms
`

export const ALL_LOST = `PING 127.0.0.1 (127.0.0.1) 70000(70028) bytes of data.

--- 127.0.0.1 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms

`

export const UNREACHABLE = `PING 10.255.255.1 (10.255.255.1) 56(84) bytes of data.
From 21.4.5.109 icmp_seq=1 Destination Port Unreachable
From 21.4.5.109 icmp_seq=2 Destination Port Unreachable

--- 10.255.255.1 ping statistics ---
2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1031ms

`

export const DUPLICATES = `PING 192.168.1.255 (192.168.1.255) 56(84) bytes of data.
64 bytes from 192.168.1.10: icmp_seq=1 ttl=64 time=0.512 ms
64 bytes from 192.168.1.11: icmp_seq=1 ttl=64 time=0.731 ms (DUP!)

--- 192.168.1.255 ping statistics ---
1 packets transmitted, 1 received, +1 duplicates, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.512/0.621/0.731/0.109 ms
`

export const BUSYBOX = `PING 127.0.0.1 (127.0.0.1): 56 data bytes
64 bytes from 127.0.0.1: seq=0 ttl=64 time=0.045 ms

--- 127.0.0.1 ping statistics ---
1 packets transmitted, 1 packets received, 0% packet loss
round-trip min/avg/max = 0.045/0.045/0.045 ms
`

