"""The Python end of PythonInteropTest: a multiprocessing.connection Listener or Client.

usage: peer.py listen|connect|listen312|connect312 ADDRESS KEY
ADDRESS is a Unix-domain socket path, or tcp:PORT for 127.0.0.1 (port 0 to pick one when listening).
The *312 modes run CPython 3.12's handshake (copied below) over a connection made without
authentication, so that the {sha256} protocol is checked against CPython's own code on any Python 3.
Prints "ready ADDRESS" when listening, then one line per received message, "auth-error: ..." on an
authentication failure, and "done".
"""
import hmac
import os
import sys
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Listener

# ---- CPython 3.12 Lib/multiprocessing/connection.py (handshake part), verbatim in substance
MESSAGE_LENGTH = 40
_CHALLENGE = b'#CHALLENGE#'
_WELCOME = b'#WELCOME#'
_FAILURE = b'#FAILURE#'
_ALLOWED_DIGESTS = frozenset({b'md5', b'sha256', b'sha384', b'sha3_256', b'sha3_384'})
_MAX_DIGEST_LEN = max(len(_) for _ in _ALLOWED_DIGESTS)
_MD5ONLY_MESSAGE_LENGTH = 20
_MD5_DIGEST_LEN = 16
_LEGACY_LENGTHS = (_MD5ONLY_MESSAGE_LENGTH, _MD5_DIGEST_LEN)


def _get_digest_name_and_payload(message):
    if len(message) in _LEGACY_LENGTHS:
        return '', message
    if (message.startswith(b'{') and
            (curly := message.find(b'}', 1, _MAX_DIGEST_LEN + 2)) > 0):
        digest = message[1:curly]
        if digest in _ALLOWED_DIGESTS:
            payload = message[curly + 1:]
            return digest.decode('ascii'), payload
    raise AuthenticationError('unsupported message length, missing digest prefix, '
                              f'or unsupported digest: {message=}')


def _create_response(authkey, message):
    digest_name = _get_digest_name_and_payload(message)[0]
    if not digest_name:
        return hmac.new(authkey, message, 'md5').digest()
    response = hmac.new(authkey, message, digest_name).digest()
    return b'{%s}%s' % (digest_name.encode('ascii'), response)


def _verify_challenge(authkey, message, response):
    response_digest, response_mac = _get_digest_name_and_payload(response)
    response_digest = response_digest or 'md5'
    expected = hmac.new(authkey, message, response_digest).digest()
    if len(expected) != len(response_mac):
        raise AuthenticationError(f'expected {response_digest!r} of length {len(expected)} '
                                  f'got {len(response_mac)}')
    if not hmac.compare_digest(expected, response_mac):
        raise AuthenticationError('digest received was wrong')


def deliver_challenge(connection, authkey, digest_name='sha256'):
    message = os.urandom(MESSAGE_LENGTH)
    message = b'{%s}%s' % (digest_name.encode('ascii'), message)
    connection.send_bytes(_CHALLENGE + message)
    response = connection.recv_bytes(256)
    try:
        _verify_challenge(authkey, message, response)
    except AuthenticationError:
        connection.send_bytes(_FAILURE)
        raise
    else:
        connection.send_bytes(_WELCOME)


def answer_challenge(connection, authkey):
    message = connection.recv_bytes(256)
    if not message.startswith(_CHALLENGE):
        raise AuthenticationError(f'Protocol error, expected challenge: {message=}')
    message = message[len(_CHALLENGE):]
    if len(message) < _MD5ONLY_MESSAGE_LENGTH:
        raise AuthenticationError('challenge too short: {len(message)} bytes')
    digest = _create_response(authkey, message)
    connection.send_bytes(digest)
    response = connection.recv_bytes(256)
    if response != _WELCOME:
        raise AuthenticationError('digest sent was rejected')
# ---- end of the 3.12 copy


def address(arg):
    return ('127.0.0.1', int(arg[4:])) if arg.startswith('tcp:') else arg


def talk(c):
    m = c.recv_bytes()
    print('received', m.decode(), flush=True)
    c.send_bytes(m[::-1])
    c.send_bytes(b'x' * 300)            # longer than the 256 the Java side accepts first
    print('received', c.recv_bytes().decode(), flush=True)


def main():
    mode, addr, key = sys.argv[1], address(sys.argv[2]), sys.argv[3].encode()
    modern = mode.endswith('312')
    try:
        if mode.startswith('listen'):
            with Listener(addr, authkey=None if modern else key) as listener:
                a = listener.address
                print('ready', 'tcp:%d' % a[1] if isinstance(a, tuple) else a, flush=True)
                with listener.accept() as c:
                    if modern:
                        deliver_challenge(c, key)
                        answer_challenge(c, key)
                    talk(c)
        else:
            with Client(addr, authkey=None if modern else key) as c:
                if modern:
                    answer_challenge(c, key)
                    deliver_challenge(c, key)
                c.send_bytes(b'hello from python')
                print('received', c.recv_bytes().decode(), flush=True)
    except AuthenticationError as e:
        print('auth-error:', e, flush=True)
    except (EOFError, ConnectionError) as e:
        print('closed:', type(e).__name__, flush=True)
    print('done', flush=True)


if __name__ == '__main__':
    main()
