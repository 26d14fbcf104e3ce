/*
 * traffic_own.h - precall's own sockets, known to the traffic probe before
 * their first packet.
 *
 * The traffic probe counts every flow on the wire but precall's own. A
 * socket that opens and closes between two looks at /proc (100 ms apart)
 * would never be seen there, so the probes that open sockets register
 * them here as they make them: the socket is bound to an ephemeral port
 * of the kernel's choice (port 0, any address, what connect or the first
 * send would do anyway) and that port is recorded, all before connect or
 * the first datagram. The traffic probe's capturing thread asks for each
 * packet whether its local port is one of these.
 *
 * The set is one per process and only grows during the process's life:
 * a port once precall's stays excluded (a later socket of another program
 * that the kernel hands the same port is left out too: a small error the
 * safe way round). Registration and look-up are lock-free (atomic bit
 * sets), so any probe thread may register while the capturing thread
 * reads; nothing here allocates.
 */
#ifndef PRECALL_PROBE_TRAFFIC_OWN_H
#define PRECALL_PROBE_TRAFFIC_OWN_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

struct pc_own_port; /* probe/traffic.h */

/* Mark (proto 6 TCP or 17 UDP, local port) as precall's own. */
void pc_traffic_own_add(int proto, uint16_t port);

/* Is (proto, local port) one of precall's own sockets registered here? */
int pc_traffic_own_has(int proto, uint16_t port);

/*
 * Register socket fd (TCP or UDP, IPv4 or IPv6): bind it to an ephemeral
 * port first when it has none yet. Returns its local port, or -1 (not an
 * IP socket, or no port could be had: the socket is left as it was, and
 * /proc may still see it).
 */
int pc_traffic_own_fd(int fd);

/*
 * libcurl's CURLOPT_OPENSOCKETFUNCTION: make the socket libcurl asks for
 * and register it (a connection's sockets only) before libcurl connects it.
 */
curl_socket_t pc_traffic_curl_socket(void *user, curlsocktype purpose, struct curl_sockaddr *a);

/*
 * Add the registered ports to own[] (*n_own of them, at most cap), each
 * (protocol, port) once. Returns how many were new.
 */
size_t pc_traffic_own_collect(struct pc_own_port *own, size_t *n_own, size_t cap);

#endif
