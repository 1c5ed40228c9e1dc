namespace Ravada.Libvirt;

// Generated from libvirt 9.0 virterror.h; values are libvirt's ABI and never change.

/// <summary>The libvirt error code (<c>virErrorNumber</c>) carried by a <see cref="LibvirtException"/>.</summary>
public enum VirErrorCode
{
    /// <summary><c>VIR_ERR_OK</c>.</summary>
    Ok = 0,

    /// <summary><c>VIR_ERR_INTERNAL_ERROR</c>: internal error.</summary>
    InternalError = 1,

    /// <summary><c>VIR_ERR_NO_MEMORY</c>: memory allocation failure.</summary>
    NoMemory = 2,

    /// <summary><c>VIR_ERR_NO_SUPPORT</c>: no support for this function.</summary>
    NoSupport = 3,

    /// <summary><c>VIR_ERR_UNKNOWN_HOST</c>: could not resolve hostname.</summary>
    UnknownHost = 4,

    /// <summary><c>VIR_ERR_NO_CONNECT</c>: can't connect to hypervisor.</summary>
    NoConnect = 5,

    /// <summary><c>VIR_ERR_INVALID_CONN</c>: invalid connection object.</summary>
    InvalidConn = 6,

    /// <summary><c>VIR_ERR_INVALID_DOMAIN</c>: invalid domain object.</summary>
    InvalidDomain = 7,

    /// <summary><c>VIR_ERR_INVALID_ARG</c>: invalid function argument.</summary>
    InvalidArg = 8,

    /// <summary><c>VIR_ERR_OPERATION_FAILED</c>: a command to hypervisor failed.</summary>
    OperationFailed = 9,

    /// <summary><c>VIR_ERR_GET_FAILED</c>: a HTTP GET command to failed.</summary>
    GetFailed = 10,

    /// <summary><c>VIR_ERR_POST_FAILED</c>: a HTTP POST command to failed.</summary>
    PostFailed = 11,

    /// <summary><c>VIR_ERR_HTTP_ERROR</c>: unexpected HTTP error code.</summary>
    HttpError = 12,

    /// <summary><c>VIR_ERR_SEXPR_SERIAL</c>: failure to serialize an S-Expr.</summary>
    SexprSerial = 13,

    /// <summary><c>VIR_ERR_NO_XEN</c>: could not open Xen hypervisor control.</summary>
    NoXen = 14,

    /// <summary><c>VIR_ERR_XEN_CALL</c>: failure doing an hypervisor call.</summary>
    XenCall = 15,

    /// <summary><c>VIR_ERR_OS_TYPE</c>: unknown OS type.</summary>
    OsType = 16,

    /// <summary><c>VIR_ERR_NO_KERNEL</c>: missing kernel information.</summary>
    NoKernel = 17,

    /// <summary><c>VIR_ERR_NO_ROOT</c>: missing root device information.</summary>
    NoRoot = 18,

    /// <summary><c>VIR_ERR_NO_SOURCE</c>: missing source device information.</summary>
    NoSource = 19,

    /// <summary><c>VIR_ERR_NO_TARGET</c>: missing target device information.</summary>
    NoTarget = 20,

    /// <summary><c>VIR_ERR_NO_NAME</c>: missing domain name information.</summary>
    NoName = 21,

    /// <summary><c>VIR_ERR_NO_OS</c>: missing domain OS information.</summary>
    NoOs = 22,

    /// <summary><c>VIR_ERR_NO_DEVICE</c>: missing domain devices information.</summary>
    NoDevice = 23,

    /// <summary><c>VIR_ERR_NO_XENSTORE</c>: could not open Xen Store control.</summary>
    NoXenstore = 24,

    /// <summary><c>VIR_ERR_DRIVER_FULL</c>: too many drivers registered.</summary>
    DriverFull = 25,

    /// <summary><c>VIR_ERR_CALL_FAILED</c>: not supported by the drivers (DEPRECATED).</summary>
    CallFailed = 26,

    /// <summary><c>VIR_ERR_XML_ERROR</c>: an XML description is not well formed or broken.</summary>
    XmlError = 27,

    /// <summary><c>VIR_ERR_DOM_EXIST</c>: the domain already exist.</summary>
    DomExist = 28,

    /// <summary><c>VIR_ERR_OPERATION_DENIED</c>: operation forbidden on read-only connections.</summary>
    OperationDenied = 29,

    /// <summary><c>VIR_ERR_OPEN_FAILED</c>: failed to open a conf file.</summary>
    OpenFailed = 30,

    /// <summary><c>VIR_ERR_READ_FAILED</c>: failed to read a conf file.</summary>
    ReadFailed = 31,

    /// <summary><c>VIR_ERR_PARSE_FAILED</c>: failed to parse a conf file.</summary>
    ParseFailed = 32,

    /// <summary><c>VIR_ERR_CONF_SYNTAX</c>: failed to parse the syntax of a conf file.</summary>
    ConfSyntax = 33,

    /// <summary><c>VIR_ERR_WRITE_FAILED</c>: failed to write a conf file.</summary>
    WriteFailed = 34,

    /// <summary><c>VIR_ERR_XML_DETAIL</c>: detail of an XML error.</summary>
    XmlDetail = 35,

    /// <summary><c>VIR_ERR_INVALID_NETWORK</c>: invalid network object.</summary>
    InvalidNetwork = 36,

    /// <summary><c>VIR_ERR_NETWORK_EXIST</c>: the network already exist.</summary>
    NetworkExist = 37,

    /// <summary><c>VIR_ERR_SYSTEM_ERROR</c>: general system call failure.</summary>
    SystemError = 38,

    /// <summary><c>VIR_ERR_RPC</c>: some sort of RPC error.</summary>
    Rpc = 39,

    /// <summary><c>VIR_ERR_GNUTLS_ERROR</c>: error from a GNUTLS call.</summary>
    GnutlsError = 40,

    /// <summary><c>VIR_WAR_NO_NETWORK</c>: failed to start network.</summary>
    WarningNoNetwork = 41,

    /// <summary><c>VIR_ERR_NO_DOMAIN</c>: domain not found or unexpectedly disappeared.</summary>
    NoDomain = 42,

    /// <summary><c>VIR_ERR_NO_NETWORK</c>: network not found.</summary>
    NoNetwork = 43,

    /// <summary><c>VIR_ERR_INVALID_MAC</c>: invalid MAC address.</summary>
    InvalidMac = 44,

    /// <summary><c>VIR_ERR_AUTH_FAILED</c>: authentication failed.</summary>
    AuthFailed = 45,

    /// <summary><c>VIR_ERR_INVALID_STORAGE_POOL</c>: invalid storage pool object.</summary>
    InvalidStoragePool = 46,

    /// <summary><c>VIR_ERR_INVALID_STORAGE_VOL</c>: invalid storage vol object.</summary>
    InvalidStorageVol = 47,

    /// <summary><c>VIR_WAR_NO_STORAGE</c>: failed to start storage.</summary>
    WarningNoStorage = 48,

    /// <summary><c>VIR_ERR_NO_STORAGE_POOL</c>: storage pool not found.</summary>
    NoStoragePool = 49,

    /// <summary><c>VIR_ERR_NO_STORAGE_VOL</c>: storage volume not found.</summary>
    NoStorageVol = 50,

    /// <summary><c>VIR_WAR_NO_NODE</c>: failed to start node driver.</summary>
    WarningNoNode = 51,

    /// <summary><c>VIR_ERR_INVALID_NODE_DEVICE</c>: invalid node device object.</summary>
    InvalidNodeDevice = 52,

    /// <summary><c>VIR_ERR_NO_NODE_DEVICE</c>: node device not found.</summary>
    NoNodeDevice = 53,

    /// <summary><c>VIR_ERR_NO_SECURITY_MODEL</c>: security model not found.</summary>
    NoSecurityModel = 54,

    /// <summary><c>VIR_ERR_OPERATION_INVALID</c>: operation is not applicable at this time.</summary>
    OperationInvalid = 55,

    /// <summary><c>VIR_WAR_NO_INTERFACE</c>: failed to start interface driver.</summary>
    WarningNoInterface = 56,

    /// <summary><c>VIR_ERR_NO_INTERFACE</c>: interface driver not running.</summary>
    NoInterface = 57,

    /// <summary><c>VIR_ERR_INVALID_INTERFACE</c>: invalid interface object.</summary>
    InvalidInterface = 58,

    /// <summary><c>VIR_ERR_MULTIPLE_INTERFACES</c>: more than one matching interface found.</summary>
    MultipleInterfaces = 59,

    /// <summary><c>VIR_WAR_NO_NWFILTER</c>: failed to start nwfilter driver.</summary>
    WarningNoNwfilter = 60,

    /// <summary><c>VIR_ERR_INVALID_NWFILTER</c>: invalid nwfilter object.</summary>
    InvalidNwfilter = 61,

    /// <summary><c>VIR_ERR_NO_NWFILTER</c>: nw filter pool not found.</summary>
    NoNwfilter = 62,

    /// <summary><c>VIR_ERR_BUILD_FIREWALL</c>: nw filter pool not found.</summary>
    BuildFirewall = 63,

    /// <summary><c>VIR_WAR_NO_SECRET</c>: failed to start secret storage.</summary>
    WarningNoSecret = 64,

    /// <summary><c>VIR_ERR_INVALID_SECRET</c>: invalid secret.</summary>
    InvalidSecret = 65,

    /// <summary><c>VIR_ERR_NO_SECRET</c>: secret not found.</summary>
    NoSecret = 66,

    /// <summary><c>VIR_ERR_CONFIG_UNSUPPORTED</c>: unsupported configuration construct.</summary>
    ConfigUnsupported = 67,

    /// <summary><c>VIR_ERR_OPERATION_TIMEOUT</c>: timeout occurred during operation.</summary>
    OperationTimeout = 68,

    /// <summary><c>VIR_ERR_MIGRATE_PERSIST_FAILED</c>: a migration worked, but making the VM persist on the dest host failed.</summary>
    MigratePersistFailed = 69,

    /// <summary><c>VIR_ERR_HOOK_SCRIPT_FAILED</c>: a synchronous hook script failed.</summary>
    HookScriptFailed = 70,

    /// <summary><c>VIR_ERR_INVALID_DOMAIN_SNAPSHOT</c>: invalid domain snapshot.</summary>
    InvalidDomainSnapshot = 71,

    /// <summary><c>VIR_ERR_NO_DOMAIN_SNAPSHOT</c>: domain snapshot not found.</summary>
    NoDomainSnapshot = 72,

    /// <summary><c>VIR_ERR_INVALID_STREAM</c>: stream pointer not valid.</summary>
    InvalidStream = 73,

    /// <summary><c>VIR_ERR_ARGUMENT_UNSUPPORTED</c>: valid API use but unsupported by the given driver.</summary>
    ArgumentUnsupported = 74,

    /// <summary><c>VIR_ERR_STORAGE_PROBE_FAILED</c>: storage pool probe failed.</summary>
    StorageProbeFailed = 75,

    /// <summary><c>VIR_ERR_STORAGE_POOL_BUILT</c>: storage pool already built.</summary>
    StoragePoolBuilt = 76,

    /// <summary><c>VIR_ERR_SNAPSHOT_REVERT_RISKY</c>: force was not requested for a risky domain snapshot revert.</summary>
    SnapshotRevertRisky = 77,

    /// <summary><c>VIR_ERR_OPERATION_ABORTED</c>: operation on a domain was canceled/aborted by user.</summary>
    OperationAborted = 78,

    /// <summary><c>VIR_ERR_AUTH_CANCELLED</c>: authentication cancelled.</summary>
    AuthCancelled = 79,

    /// <summary><c>VIR_ERR_NO_DOMAIN_METADATA</c>: The metadata is not present.</summary>
    NoDomainMetadata = 80,

    /// <summary><c>VIR_ERR_MIGRATE_UNSAFE</c>: Migration is not safe.</summary>
    MigrateUnsafe = 81,

    /// <summary><c>VIR_ERR_OVERFLOW</c>: integer overflow.</summary>
    Overflow = 82,

    /// <summary><c>VIR_ERR_BLOCK_COPY_ACTIVE</c>: action prevented by block copy job.</summary>
    BlockCopyActive = 83,

    /// <summary><c>VIR_ERR_OPERATION_UNSUPPORTED</c>: The requested operation is not supported.</summary>
    OperationUnsupported = 84,

    /// <summary><c>VIR_ERR_SSH</c>: error in ssh transport driver.</summary>
    Ssh = 85,

    /// <summary><c>VIR_ERR_AGENT_UNRESPONSIVE</c>: guest agent is unresponsive, not running or not usable.</summary>
    AgentUnresponsive = 86,

    /// <summary><c>VIR_ERR_RESOURCE_BUSY</c>: resource is already in use.</summary>
    ResourceBusy = 87,

    /// <summary><c>VIR_ERR_ACCESS_DENIED</c>: operation on the object/resource was denied.</summary>
    AccessDenied = 88,

    /// <summary><c>VIR_ERR_DBUS_SERVICE</c>: error from a dbus service.</summary>
    DbusService = 89,

    /// <summary><c>VIR_ERR_STORAGE_VOL_EXIST</c>: the storage vol already exists.</summary>
    StorageVolExist = 90,

    /// <summary><c>VIR_ERR_CPU_INCOMPATIBLE</c>: given CPU is incompatible with host CPU.</summary>
    CpuIncompatible = 91,

    /// <summary><c>VIR_ERR_XML_INVALID_SCHEMA</c>: XML document doesn't validate against schema.</summary>
    XmlInvalidSchema = 92,

    /// <summary><c>VIR_ERR_MIGRATE_FINISH_OK</c>: Finish API succeeded but it is expected to return NULL.</summary>
    MigrateFinishOk = 93,

    /// <summary><c>VIR_ERR_AUTH_UNAVAILABLE</c>: authentication unavailable.</summary>
    AuthUnavailable = 94,

    /// <summary><c>VIR_ERR_NO_SERVER</c>: Server was not found.</summary>
    NoServer = 95,

    /// <summary><c>VIR_ERR_NO_CLIENT</c>: Client was not found.</summary>
    NoClient = 96,

    /// <summary><c>VIR_ERR_AGENT_UNSYNCED</c>: guest agent replies with wrong id to guest-sync command (DEPRECATED).</summary>
    AgentUnsynced = 97,

    /// <summary><c>VIR_ERR_LIBSSH</c>: error in libssh transport driver.</summary>
    Libssh = 98,

    /// <summary><c>VIR_ERR_DEVICE_MISSING</c>: fail to find the desired device.</summary>
    DeviceMissing = 99,

    /// <summary><c>VIR_ERR_INVALID_NWFILTER_BINDING</c>: invalid nwfilter binding.</summary>
    InvalidNwfilterBinding = 100,

    /// <summary><c>VIR_ERR_NO_NWFILTER_BINDING</c>: no nwfilter binding.</summary>
    NoNwfilterBinding = 101,

    /// <summary><c>VIR_ERR_INVALID_DOMAIN_CHECKPOINT</c>: invalid domain checkpoint.</summary>
    InvalidDomainCheckpoint = 102,

    /// <summary><c>VIR_ERR_NO_DOMAIN_CHECKPOINT</c>: domain checkpoint not found.</summary>
    NoDomainCheckpoint = 103,

    /// <summary><c>VIR_ERR_NO_DOMAIN_BACKUP</c>: domain backup job id not found.</summary>
    NoDomainBackup = 104,

    /// <summary><c>VIR_ERR_INVALID_NETWORK_PORT</c>: invalid network port object.</summary>
    InvalidNetworkPort = 105,

    /// <summary><c>VIR_ERR_NETWORK_PORT_EXIST</c>: the network port already exist.</summary>
    NetworkPortExist = 106,

    /// <summary><c>VIR_ERR_NO_NETWORK_PORT</c>: network port not found.</summary>
    NoNetworkPort = 107,

    /// <summary><c>VIR_ERR_NO_HOSTNAME</c>: no domain's hostname found.</summary>
    NoHostname = 108,

    /// <summary><c>VIR_ERR_CHECKPOINT_INCONSISTENT</c>: checkpoint can't be used.</summary>
    CheckpointInconsistent = 109,

    /// <summary><c>VIR_ERR_MULTIPLE_DOMAINS</c>: more than one matching domain found.</summary>
    MultipleDomains = 110,
}

/// <summary>The part of libvirt that raised an error (<c>virErrorDomain</c>).</summary>
public enum VirErrorDomain
{
    /// <summary><c>VIR_FROM_NONE</c>.</summary>
    None = 0,

    /// <summary><c>VIR_FROM_XEN</c>: Error at Xen hypervisor layer.</summary>
    Xen = 1,

    /// <summary><c>VIR_FROM_XEND</c>: Error at connection with xend daemon.</summary>
    Xend = 2,

    /// <summary><c>VIR_FROM_XENSTORE</c>: Error at connection with xen store.</summary>
    Xenstore = 3,

    /// <summary><c>VIR_FROM_SEXPR</c>: Error in the S-Expression code.</summary>
    Sexpr = 4,

    /// <summary><c>VIR_FROM_XML</c>: Error in the XML code.</summary>
    Xml = 5,

    /// <summary><c>VIR_FROM_DOM</c>: Error when operating on a domain.</summary>
    Dom = 6,

    /// <summary><c>VIR_FROM_RPC</c>: Error in the XML-RPC code.</summary>
    Rpc = 7,

    /// <summary><c>VIR_FROM_PROXY</c>: Error in the proxy code; unused since 0.8.6.</summary>
    Proxy = 8,

    /// <summary><c>VIR_FROM_CONF</c>: Error in the configuration file handling.</summary>
    Conf = 9,

    /// <summary><c>VIR_FROM_QEMU</c>: Error at the QEMU daemon.</summary>
    Qemu = 10,

    /// <summary><c>VIR_FROM_NET</c>: Error when operating on a network.</summary>
    Net = 11,

    /// <summary><c>VIR_FROM_TEST</c>: Error from test driver.</summary>
    Test = 12,

    /// <summary><c>VIR_FROM_REMOTE</c>: Error from remote driver.</summary>
    Remote = 13,

    /// <summary><c>VIR_FROM_OPENVZ</c>: Error from OpenVZ driver.</summary>
    Openvz = 14,

    /// <summary><c>VIR_FROM_XENXM</c>: Error at Xen XM layer.</summary>
    Xenxm = 15,

    /// <summary><c>VIR_FROM_STATS_LINUX</c>: Error in the Linux Stats code.</summary>
    StatsLinux = 16,

    /// <summary><c>VIR_FROM_LXC</c>: Error from Linux Container driver.</summary>
    Lxc = 17,

    /// <summary><c>VIR_FROM_STORAGE</c>: Error from storage driver.</summary>
    Storage = 18,

    /// <summary><c>VIR_FROM_NETWORK</c>: Error from network config.</summary>
    Network = 19,

    /// <summary><c>VIR_FROM_DOMAIN</c>: Error from domain config.</summary>
    Domain = 20,

    /// <summary><c>VIR_FROM_UML</c>: Error at the UML driver; unused since 5.0.0.</summary>
    Uml = 21,

    /// <summary><c>VIR_FROM_NODEDEV</c>: Error from node device monitor.</summary>
    Nodedev = 22,

    /// <summary><c>VIR_FROM_XEN_INOTIFY</c>: Error from xen inotify layer.</summary>
    XenInotify = 23,

    /// <summary><c>VIR_FROM_SECURITY</c>: Error from security framework.</summary>
    Security = 24,

    /// <summary><c>VIR_FROM_VBOX</c>: Error from VirtualBox driver.</summary>
    Vbox = 25,

    /// <summary><c>VIR_FROM_INTERFACE</c>: Error when operating on an interface.</summary>
    Interface = 26,

    /// <summary><c>VIR_FROM_ONE</c>: The OpenNebula driver no longer exists. Retained for ABI/API compat only.</summary>
    One = 27,

    /// <summary><c>VIR_FROM_ESX</c>: Error from ESX driver.</summary>
    Esx = 28,

    /// <summary><c>VIR_FROM_PHYP</c>: Error from the phyp driver, unused since 6.0.0.</summary>
    Phyp = 29,

    /// <summary><c>VIR_FROM_SECRET</c>: Error from secret storage.</summary>
    Secret = 30,

    /// <summary><c>VIR_FROM_CPU</c>: Error from CPU driver.</summary>
    Cpu = 31,

    /// <summary><c>VIR_FROM_XENAPI</c>: Error from XenAPI.</summary>
    Xenapi = 32,

    /// <summary><c>VIR_FROM_NWFILTER</c>: Error from network filter driver.</summary>
    Nwfilter = 33,

    /// <summary><c>VIR_FROM_HOOK</c>: Error from Synchronous hooks.</summary>
    Hook = 34,

    /// <summary><c>VIR_FROM_DOMAIN_SNAPSHOT</c>: Error from domain snapshot.</summary>
    DomainSnapshot = 35,

    /// <summary><c>VIR_FROM_AUDIT</c>: Error from auditing subsystem.</summary>
    Audit = 36,

    /// <summary><c>VIR_FROM_SYSINFO</c>: Error from sysinfo/SMBIOS.</summary>
    Sysinfo = 37,

    /// <summary><c>VIR_FROM_STREAMS</c>: Error from I/O streams.</summary>
    Streams = 38,

    /// <summary><c>VIR_FROM_VMWARE</c>: Error from VMware driver.</summary>
    Vmware = 39,

    /// <summary><c>VIR_FROM_EVENT</c>: Error from event loop impl.</summary>
    Event = 40,

    /// <summary><c>VIR_FROM_LIBXL</c>: Error from libxenlight driver.</summary>
    Libxl = 41,

    /// <summary><c>VIR_FROM_LOCKING</c>: Error from lock manager.</summary>
    Locking = 42,

    /// <summary><c>VIR_FROM_HYPERV</c>: Error from Hyper-V driver.</summary>
    Hyperv = 43,

    /// <summary><c>VIR_FROM_CAPABILITIES</c>: Error from capabilities.</summary>
    Capabilities = 44,

    /// <summary><c>VIR_FROM_URI</c>: Error from URI handling.</summary>
    Uri = 45,

    /// <summary><c>VIR_FROM_AUTH</c>: Error from auth handling.</summary>
    Auth = 46,

    /// <summary><c>VIR_FROM_DBUS</c>: Error from DBus.</summary>
    Dbus = 47,

    /// <summary><c>VIR_FROM_PARALLELS</c>: Error from Parallels.</summary>
    Parallels = 48,

    /// <summary><c>VIR_FROM_DEVICE</c>: Error from Device.</summary>
    Device = 49,

    /// <summary><c>VIR_FROM_SSH</c>: Error from libssh2 connection transport.</summary>
    Ssh = 50,

    /// <summary><c>VIR_FROM_LOCKSPACE</c>: Error from lockspace.</summary>
    Lockspace = 51,

    /// <summary><c>VIR_FROM_INITCTL</c>: Error from initctl device communication.</summary>
    Initctl = 52,

    /// <summary><c>VIR_FROM_IDENTITY</c>: Error from identity code.</summary>
    Identity = 53,

    /// <summary><c>VIR_FROM_CGROUP</c>: Error from cgroups.</summary>
    Cgroup = 54,

    /// <summary><c>VIR_FROM_ACCESS</c>: Error from access control manager.</summary>
    Access = 55,

    /// <summary><c>VIR_FROM_SYSTEMD</c>: Error from systemd code.</summary>
    Systemd = 56,

    /// <summary><c>VIR_FROM_BHYVE</c>: Error from bhyve driver.</summary>
    Bhyve = 57,

    /// <summary><c>VIR_FROM_CRYPTO</c>: Error from crypto code.</summary>
    Crypto = 58,

    /// <summary><c>VIR_FROM_FIREWALL</c>: Error from firewall.</summary>
    Firewall = 59,

    /// <summary><c>VIR_FROM_POLKIT</c>: Error from polkit code.</summary>
    Polkit = 60,

    /// <summary><c>VIR_FROM_THREAD</c>: Error from thread utils.</summary>
    Thread = 61,

    /// <summary><c>VIR_FROM_ADMIN</c>: Error from admin backend.</summary>
    Admin = 62,

    /// <summary><c>VIR_FROM_LOGGING</c>: Error from log manager.</summary>
    Logging = 63,

    /// <summary><c>VIR_FROM_XENXL</c>: Error from Xen xl config code.</summary>
    Xenxl = 64,

    /// <summary><c>VIR_FROM_PERF</c>: Error from perf.</summary>
    Perf = 65,

    /// <summary><c>VIR_FROM_LIBSSH</c>: Error from libssh connection transport.</summary>
    Libssh = 66,

    /// <summary><c>VIR_FROM_RESCTRL</c>: Error from resource control.</summary>
    Resctrl = 67,

    /// <summary><c>VIR_FROM_FIREWALLD</c>: Error from firewalld.</summary>
    Firewalld = 68,

    /// <summary><c>VIR_FROM_DOMAIN_CHECKPOINT</c>: Error from domain checkpoint.</summary>
    DomainCheckpoint = 69,

    /// <summary><c>VIR_FROM_TPM</c>: Error from TPM.</summary>
    Tpm = 70,

    /// <summary><c>VIR_FROM_BPF</c>: Error from BPF code.</summary>
    Bpf = 71,

    /// <summary><c>VIR_FROM_CH</c>: Error from Cloud-Hypervisor driver.</summary>
    Ch = 72,
}
