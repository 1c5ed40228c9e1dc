#!/usr/bin/env bash
# Starts a throw-away OpenLDAP directory for the LDAP tests, all of it inside DIR: two certificate
# authorities (the one the server's certificate comes from, and an unrelated one a test must see refused),
# a slapd.conf, a database seeded with people and groups (one nested in another, one cycle, one posixGroup)
# and one person who may bind only over TLS,
# and slapd on 127.0.0.1 with a plain/StartTLS port and an LDAPS port, both free ports. Writes DIR/env with
# the RAVADA_TEST_LDAP_* variables and DIR/slapd.pid. Usage: start-slapd.sh DIR
set -euo pipefail
dir=${1:?usage: start-slapd.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
base="dc=ravada,dc=test"
reader_dn="cn=reader,ou=services,$base"
reader_password="reader-test-only"

# free_port: a TCP port nobody listens on, outside the ephemeral range.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

# make_ca NAME: a self-signed certificate authority in DIR/NAME, and DIR/NAME-trust, the hashed directory
# that libldap's TLS_CACERTDIR (System.DirectoryServices.Protocols' TrustedCertificatesDirectory) reads.
make_ca() {
  local name=$1
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Ravada test $name" \
    -keyout "$dir/$name.key" -out "$dir/$name.crt" 2>/dev/null
  mkdir -p "$dir/$name-trust"
  cp "$dir/$name.crt" "$dir/$name-trust/"
  openssl rehash "$dir/$name-trust"
}

make_ca ca
make_ca wrong-ca
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName = DNS:localhost, IP:127.0.0.1\nextendedKeyUsage = serverAuth\n' >"$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
  -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null

mkdir -p "$dir/data"
cat >"$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
TLSCACertificateFile $dir/ca.crt
TLSCertificateFile $dir/server.crt
TLSCertificateKeyFile $dir/server.key
TLSVerifyClient never
database mdb
maxsize 16777216
suffix "$base"
rootdn "cn=manager,$base"
rootpw manager-test-only
directory $dir/data
access to dn.exact="uid=tlsonly,ou=people,$base" attrs=userPassword
  by dn.exact="$reader_dn" read
  by anonymous tls_ssf=128 auth
  by * none
access to attrs=userPassword
  by dn.exact="$reader_dn" read
  by anonymous auth
  by self write
  by * none
access to *
  by dn.exact="$reader_dn" read
  by users read
  by * none
CONF

hash() { slappasswd -h '{SSHA}' -s "$1"; }
cat >"$dir/seed.ldif" <<LDIF
dn: $base
objectClass: dcObject
objectClass: organization
dc: ravada
o: Ravada test

dn: ou=people,$base
objectClass: organizationalUnit
ou: people

dn: ou=groups,$base
objectClass: organizationalUnit
ou: groups

dn: ou=services,$base
objectClass: organizationalUnit
ou: services

dn: $reader_dn
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reader
userPassword: $(hash "$reader_password")

LDIF
# person UID PASSWORD: an inetOrgPerson with a salted SHA-1 password.
person() {
  cat >>"$dir/seed.ldif" <<LDIF
dn: uid=$1,ou=people,$base
objectClass: inetOrgPerson
uid: $1
cn: $1
sn: $1
userPassword: $(hash "$2")

LDIF
}
person alice alice-secret-1
person bob bob-secret-1
person carol carol-secret-1
person dave dave-secret-1
person erin erin-secret-1
person "outsider" outsider-secret-1
# tlsonly may bind only over TLS: a login that works proves the password went through TLS.
person tlsonly tlsonly-secret-1
cat >>"$dir/seed.ldif" <<LDIF
dn: cn=students,ou=groups,$base
objectClass: groupOfNames
cn: students
member: uid=alice,ou=people,$base
member: uid=dave,ou=people,$base

dn: cn=teachers,ou=groups,$base
objectClass: groupOfNames
cn: teachers
member: uid=bob,ou=people,$base

dn: cn=staff,ou=groups,$base
objectClass: groupOfNames
cn: staff
member: cn=teachers,ou=groups,$base

dn: cn=projectors,ou=groups,$base
objectClass: groupOfUniqueNames
cn: projectors
uniqueMember: uid=erin,ou=people,$base

dn: cn=lab,ou=groups,$base
objectClass: posixGroup
cn: lab
gidNumber: 5000
memberUid: carol

dn: cn=ring-a,ou=groups,$base
objectClass: groupOfNames
cn: ring-a
member: uid=erin,ou=people,$base
member: cn=ring-b,ou=groups,$base

dn: cn=ring-b,ou=groups,$base
objectClass: groupOfNames
cn: ring-b
member: cn=ring-a,ou=groups,$base
LDIF
slapadd -f "$dir/slapd.conf" -l "$dir/seed.ldif" -q

port=$(free_port)
tls_port=$(free_port)
while [ "$tls_port" = "$port" ]; do tls_port=$(free_port); done
slapd -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/ ldaps://127.0.0.1:$tls_port/"
for attempt in $(seq 1 100); do
  ldapwhoami -x -H "ldap://127.0.0.1:$port" -D "$reader_dn" -w "$reader_password" >/dev/null 2>&1 && break
  [ "$attempt" -lt 100 ] || { echo "slapd does not answer on port $port" >&2; exit 1; }
  sleep 0.1
done

cat >"$dir/env" <<ENV
export RAVADA_TEST_LDAP_PORT=$port
export RAVADA_TEST_LDAPS_PORT=$tls_port
export RAVADA_TEST_LDAP_BASE='$base'
export RAVADA_TEST_LDAP_READER_DN='$reader_dn'
export RAVADA_TEST_LDAP_READER_PASSWORD='$reader_password'
export RAVADA_TEST_LDAP_CA_DIR='$dir/ca-trust'
export RAVADA_TEST_LDAP_WRONG_CA_DIR='$dir/wrong-ca-trust'
ENV
