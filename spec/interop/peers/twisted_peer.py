"""A scriptable Telnet peer built on Twisted's twisted.conch.telnet (the reference interface rxtelnet follows).

Usage (with /usr/bin/python3, the interpreter Debian's python3-twisted is installed for):

    twisted_peer.py server [--greet VERB:OPT,...] [--accept-local OPT,...] [--accept-remote OPT,...]
                           [--time-limit SECONDS]
    twisted_peer.py client PORT [same options]

The server listens on 127.0.0.1, port 0 (the kernel picks one), the client connects to 127.0.0.1:PORT. Both
print one JSON object per line on stdout for everything they see, and read one JSON command per line on stdin.

Events (stdout):
    {"ev":"listening","port":N}                  server only, once
    {"ev":"connected"}                           a connection is up (commands act on the latest one)
    {"ev":"data","hex":"..."}                    application data, after Twisted's own CR LF -> LF folding
    {"ev":"command","command":N,"argument":N|null}   IAC commands without a handler (NOP, GA, EOR, AYT, ...)
    {"ev":"sb","option":N,"hex":"..."}           subnegotiation payload, unescaped
    {"ev":"enableLocal","option":N,"accepted":bool}     the peer sent DO (or confirmed our WILL)
    {"ev":"enableRemote","option":N,"accepted":bool}    the peer sent WILL (or confirmed our DO)
    {"ev":"disableLocal","option":N}  /  {"ev":"disableRemote","option":N}
    {"ev":"result","id":K,"ok":bool,"error":"OptionRefused"|"AlreadyEnabled"|...}   a do/dont/will/wont Deferred settled
    {"ev":"deaf"}                                the "deaf" command took effect
    {"ev":"ignored","hex":"..."}                 bytes received while deaf, not interpreted at all
    {"ev":"closed","reason":"..."}               the connection closed
    {"ev":"error","message":"..."}               a command could not be carried out
    {"ev":"exit","reason":"..."}                 the process is about to exit

Commands (stdin):
    {"cmd":"do"|"dont"|"will"|"wont","option":N,"id":K}   TelnetTransport.do(...) etc.; the Deferred reports "result"
    {"cmd":"write","hex":"..."}     TelnetTransport.write: Twisted doubles IAC and turns every LF into CR LF
    {"cmd":"raw","hex":"..."}       exact bytes on the socket (TelnetTransport.writeSequence, no rewriting)
    {"cmd":"sb","option":N,"hex":"..."}   TelnetTransport.requestNegotiation (payload IAC doubled by Twisted)
    {"cmd":"accept","local":[N...],"remote":[N...]}   options enableLocal / enableRemote accept from now on
    {"cmd":"deaf"}                  from now on the current connection reads but ignores what it receives (so
                                    requests sent to it stay unanswered); reports each chunk as "ignored"
    {"cmd":"close"}                 loseConnection on the current connection
    {"cmd":"exit"}                  stop the reactor and exit

--greet runs do/dont/will/wont requests as soon as a connection is made, in order, with ids "greet:VERB:OPT",
e.g. --greet do:31,do:24,will:3,will:1 gives Twisted's usual server opening (DO NAWS, DO TTYPE, WILL SGA, WILL ECHO).
--accept-local / --accept-remote set the initial accept lists (as the "accept" command does, but before any
connection exists, so that no request of the peer can arrive first).
Options we ask for ourselves are accepted by enableLocal/enableRemote (Twisted asserts that enableRemote returns
True when the peer confirms our DO). The process exits on its own after --time-limit seconds (default 60), when
stdin closes, or on {"cmd":"exit"}.
"""

import json
import signal
import sys

from twisted.conch import telnet
from twisted.internet import protocol, reactor, stdio
from twisted.protocols import basic


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def opt_byte(option):
    return bytes([int(option)])


class Session:
    """State shared by the stdin reader and the current Telnet connection."""

    def __init__(self, greet):
        self.greet = greet
        self.accept_local = set()
        self.accept_remote = set()
        self.protocol = None


class DeafableTransport(telnet.TelnetTransport):
    """TelnetTransport that can be told to stop interpreting what it receives (the "deaf" command)."""

    deaf = False

    def dataReceived(self, data):
        if self.deaf:
            emit({"ev": "ignored", "hex": data.hex()})
        else:
            telnet.TelnetTransport.dataReceived(self, data)


class ReportingProtocol(telnet.TelnetProtocol):
    """Reports every callback of TelnetProtocol as a JSON line."""

    def __init__(self, session):
        self.session = session

    def connectionMade(self):
        self.session.protocol = self
        emit({"ev": "connected"})
        for verb, option in self.session.greet:
            request(self.session, verb, option, "greet:%s:%d" % (verb, option))

    def dataReceived(self, data):
        emit({"ev": "data", "hex": data.hex()})

    def unhandledCommand(self, command, argument):
        emit({
            "ev": "command",
            "command": command[0],
            "argument": None if argument is None else argument[0],
        })

    def unhandledSubnegotiation(self, command, data):
        emit({"ev": "sb", "option": command[0], "hex": b"".join(data).hex()})

    def enableLocal(self, option):
        accepted = option[0] in self.session.accept_local
        emit({"ev": "enableLocal", "option": option[0], "accepted": accepted})
        return accepted

    def enableRemote(self, option):
        accepted = option[0] in self.session.accept_remote
        emit({"ev": "enableRemote", "option": option[0], "accepted": accepted})
        return accepted

    def disableLocal(self, option):
        emit({"ev": "disableLocal", "option": option[0]})

    def disableRemote(self, option):
        emit({"ev": "disableRemote", "option": option[0]})

    def connectionLost(self, reason):
        if self.session.protocol is self:
            self.session.protocol = None
        emit({"ev": "closed", "reason": reason.getErrorMessage()})


def request(session, verb, option, request_id):
    """Runs TelnetTransport.do/dont/will/wont and reports how its Deferred settles."""
    proto = session.protocol
    if proto is None:
        emit({"ev": "result", "id": request_id, "ok": False, "error": "NotConnected"})
        return
    if verb == "do":
        session.accept_remote.add(option)
    elif verb == "will":
        session.accept_local.add(option)
    deferred = getattr(proto.transport, verb)(opt_byte(option))

    def on_ok(_value):
        emit({"ev": "result", "id": request_id, "ok": True})

    def on_error(failure):
        emit({"ev": "result", "id": request_id, "ok": False, "error": failure.type.__name__})

    deferred.addCallbacks(on_ok, on_error)


class CommandReader(basic.LineReceiver):
    """Reads JSON commands from stdin."""

    delimiter = b"\n"

    def __init__(self, session):
        self.session = session

    def lineReceived(self, line):
        line = line.strip()
        if not line:
            return
        try:
            self.run(json.loads(line))
        except Exception as exc:  # report every failure and keep reading
            emit({"ev": "error", "message": "%s: %s" % (type(exc).__name__, exc)})

    def run(self, cmd):
        name = cmd["cmd"]
        if name in ("do", "dont", "will", "wont"):
            request(self.session, name, int(cmd["option"]), cmd.get("id"))
        elif name == "accept":
            self.session.accept_local = set(int(o) for o in cmd.get("local", []))
            self.session.accept_remote = set(int(o) for o in cmd.get("remote", []))
        elif name == "exit":
            shutdown("exit command")
        else:
            proto = self.session.protocol
            if proto is None:
                raise RuntimeError("no connection for %r" % name)
            transport = proto.transport
            if name == "write":
                transport.write(bytes.fromhex(cmd["hex"]))
            elif name == "raw":
                transport.writeSequence([bytes.fromhex(cmd["hex"])])
            elif name == "sb":
                transport.requestNegotiation(opt_byte(cmd["option"]), bytes.fromhex(cmd["hex"]))
            elif name == "deaf":
                transport.deaf = True
                emit({"ev": "deaf"})
            elif name == "close":
                transport.loseConnection()
            else:
                raise ValueError("unknown command %r" % name)

    def connectionLost(self, reason):
        shutdown("stdin closed")


_stopping = []


def shutdown(reason):
    if _stopping:
        return
    _stopping.append(reason)
    emit({"ev": "exit", "reason": reason})
    if reactor.running:
        reactor.stop()


def parse_greet(text):
    greet = []
    for item in filter(None, text.split(",")):
        verb, option = item.split(":")
        if verb not in ("do", "dont", "will", "wont"):
            raise SystemExit("bad --greet verb %r" % verb)
        greet.append((verb, int(option)))
    return greet


def parse_options(text):
    return set(int(item) for item in filter(None, text.split(",")))


def main(argv):
    args = list(argv)
    greet = []
    limit = 60.0
    accept = {"local": set(), "remote": set()}
    if "--greet" in args:
        i = args.index("--greet")
        greet = parse_greet(args[i + 1])
        del args[i:i + 2]
    for side in ("local", "remote"):
        flag = "--accept-" + side
        if flag in args:
            i = args.index(flag)
            accept[side] = parse_options(args[i + 1])
            del args[i:i + 2]
    if "--time-limit" in args:
        i = args.index("--time-limit")
        limit = float(args[i + 1])
        del args[i:i + 2]
    if not args or args[0] not in ("server", "client") or (args[0] == "client" and len(args) != 2):
        raise SystemExit(__doc__)

    # Hard backstop: SIGALRM ends the process even if the reactor is wedged.
    signal.alarm(int(limit) + 5)
    reactor.callLater(limit, shutdown, "time limit")

    session = Session(greet)
    session.accept_local = accept["local"]
    session.accept_remote = accept["remote"]
    stdio.StandardIO(CommandReader(session))

    def build():
        return DeafableTransport(ReportingProtocol, session)

    if args[0] == "server":
        factory = protocol.ServerFactory()
        factory.protocol = build
        port = reactor.listenTCP(0, factory, interface="127.0.0.1")
        emit({"ev": "listening", "port": port.getHost().port})
    else:
        factory = protocol.ClientFactory()
        factory.protocol = build

        def failed(_connector, reason):
            emit({"ev": "closed", "reason": reason.getErrorMessage()})
            shutdown("connect failed")

        factory.clientConnectionFailed = failed
        reactor.connectTCP("127.0.0.1", int(args[1]), factory, timeout=10)
    reactor.run()


if __name__ == "__main__":
    main(sys.argv[1:])
