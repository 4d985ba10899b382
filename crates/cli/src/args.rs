//! Command-line arguments (clap). Parsing only; behaviour lives in `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "pinshift",
    version,
    about = "Migrate Amazon Pinpoint workloads to SES, End User Messaging and Amazon Connect, one client at a time",
    after_help = "Exit codes: 0 success, 1 error, 2 invalid usage, 3 scan complete with gaps, 130 scan cancelled.\n\
                  Logs go to stderr (set PINSHIFT_LOG=debug for more); results go to stdout."
)]
pub struct Cli {
    /// The engagement file to work on.
    #[arg(long, short = 'e', global = true, env = "PINSHIFT_ENGAGEMENT", value_name = "FILE")]
    pub engagement: Option<PathBuf>,

    /// Print results as JSON for scripts.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new engagement file (never overwrites an existing file).
    Init {
        /// Where to create it, conventionally NAME.pinshift.
        file: PathBuf,
        /// A display name; defaults to the file name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Show what an engagement file holds.
    Info {
        /// The engagement file (defaults to --engagement).
        file: Option<PathBuf>,
        /// Also run SQLite's full integrity check.
        #[arg(long)]
        check: bool,
    },
    /// Manage the connections an engagement uses to reach AWS.
    #[command(subcommand)]
    Connection(ConnectionCommand),
    /// Read every Pinpoint project and account-level resource the connections reach (read-only) and store
    /// the estate in the engagement file. Exit code 3: complete, but some resources could not be read.
    Scan {
        /// A connection to scan through (repeatable); all of the engagement's connections by default.
        #[arg(long = "connection", value_name = "NAME")]
        connections: Vec<String>,
        /// A Region to scan (repeatable); every Region Pinpoint ran in by default.
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
        /// AWS requests in flight at once (each Pinpoint operation is also paced under its published rate).
        #[arg(long, default_value_t = pinshift_core::scan::request::DEFAULT_CONCURRENCY as u32)]
        concurrency: u32,
        /// Continue the newest scan that was stopped or interrupted, reading only what it had not.
        #[arg(long, conflicts_with_all = ["connections", "regions"])]
        resume: bool,
        /// Scan even though another process holds the engagement (it was killed, or its machine is off):
        /// its lease is taken over at once instead of after it lapses.
        #[arg(long)]
        take_over: bool,
        /// Scan an offline dump folder (see `pinshift dump-commands`) instead of AWS.
        /// With --resume: continue a stopped scan of that dump.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["connections", "regions"])]
        from_dump: Option<std::path::PathBuf>,
        #[command(flatten)]
        audience: AudienceArgs,
    },
    /// Print the shell script (AWS CLI + jq) that dumps what a scan reads, for `scan --from-dump`.
    DumpCommands {
        /// A Region to dump (repeatable); every Region Pinpoint ran in by default.
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
    },
    /// Look at scanned estates.
    #[command(subcommand)]
    Estate(EstateCommand),
    /// Print least-privilege IAM policies (to hand to the customer's admin).
    #[command(subcommand, name = "iam-policy")]
    IamPolicy(IamPolicyCommand),
    /// Assess a scan: clients, what each uses, how it maps to SES / End User Messaging / Connect, effort.
    Assess {
        /// A scan id (or its first characters); the newest finished scan by default.
        #[arg(long)]
        scan: Option<String>,
        /// Only this client's findings, in detail.
        #[arg(long)]
        client: Option<String>,
        /// Print the rule table (every capability Pinshift recognises and the fields it reads) instead.
        #[arg(long)]
        rules: bool,
    },
    /// Review the per-client blueprint: tenancy, attribution, decisions, versions and sign-off.
    #[command(subcommand)]
    Blueprint(BlueprintCommand),
    /// Migrate a signed-off blueprint version: plan against the target account, apply, resume, roll back.
    #[command(subcommand)]
    Migrate(MigrateCommand),
    /// The journal of migration runs: show, verify its hash chain, export it for an audit.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// A client's audience: Pinpoint endpoint exports into Customer Profiles objects, SMS opt-outs and
    /// SES suppressions, every endpoint accounted for.
    #[command(subcommand)]
    Audience(AudienceCommand),
    /// Translate a message template, segment, campaign or journey into its successor's definition, with
    /// what did not carry over (each construct and where it is) and the proof: templates must render the
    /// same for 1,000 endpoints, segments select about as many.
    #[command(subcommand)]
    Translate(TranslateCommand),
    /// Write a report of the blueprint: html (self-contained, prints to PDF), xlsx, md, json, or csv and
    /// cloudformation (folders of files).
    Report {
        /// html | xlsx | csv | json | md | cloudformation
        #[arg(long)]
        format: String,
        /// The file to write (a folder for csv and cloudformation).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// A saved blueprint version (the current blueprint by default).
        #[arg(long)]
        version: Option<u32>,
        /// The scan for the current blueprint (the newest finished scan by default).
        #[arg(long, conflicts_with = "version")]
        scan: Option<String>,
        /// Replace an existing file or folder.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TranslateCommand {
    /// A message template → an SES email template or a Connect (Q in Connect) message template.
    Template {
        /// The template's name.
        name: String,
        /// ses | connect
        #[arg(long, value_enum)]
        target: TemplateTarget,
        /// For SES: keep Pinpoint's variable paths (the sender builds TemplateData shaped like an
        /// endpoint) or rewrite them to the customer profile's (the sender passes the profile).
        #[arg(long, value_enum, default_value = "keep")]
        ses_paths: SesPathsArg,
        #[command(flatten)]
        common: TranslateArgs,
    },
    /// A segment → a Customer Profiles segment definition (or an upload-job plan for an imported one),
    /// with both sizes on one sample of endpoints.
    Segment {
        /// The segment's id or name.
        id: String,
        /// connect (Customer Profiles)
        #[arg(long, value_enum, default_value = "connect")]
        target: ConnectTarget,
        #[command(flatten)]
        common: TranslateArgs,
    },
    /// A campaign → an Outbound Campaigns v2 definition (type MANAGED, created unstarted).
    Campaign {
        /// The campaign's id or name.
        id: String,
        /// connect (Outbound Campaigns v2)
        #[arg(long, value_enum, default_value = "connect")]
        target: ConnectTarget,
        #[command(flatten)]
        common: TranslateArgs,
    },
    /// A journey → a Connect flow of type CAMPAIGN (a draft) and a JOURNEY campaign that runs it.
    Journey {
        /// The journey's id or name.
        id: String,
        /// connect (Outbound Campaigns v2)
        #[arg(long, value_enum, default_value = "connect")]
        target: ConnectTarget,
        #[command(flatten)]
        common: TranslateArgs,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TemplateTarget {
    Ses,
    Connect,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SesPathsArg {
    Keep,
    Rewrite,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ConnectTarget {
    Connect,
}

#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// Only resources of this account (when a name is in several).
    #[arg(long)]
    pub account: Option<String>,
    /// Only resources of this Region.
    #[arg(long)]
    pub region: Option<String>,
    /// A scan id (the newest finished scan by default).
    #[arg(long)]
    pub scan: Option<String>,
    /// Prove with real endpoints: a Pinpoint endpoint export (JSON lines, gzip or not).
    #[arg(long, value_name = "FILE")]
    pub endpoints: Option<PathBuf>,
    /// How many endpoints to generate (or at most to read from --endpoints).
    #[arg(long, default_value_t = 1000)]
    pub sample: usize,
    /// Seed of the generated endpoints (the same seed gives the same endpoints).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum BlueprintCommand {
    /// Show the blueprint (the current one, or a saved version).
    Show {
        #[arg(long)]
        client: Option<String>,
        /// A saved version instead of the current blueprint.
        #[arg(long)]
        version: Option<u32>,
        #[arg(long)]
        scan: Option<String>,
    },
    /// List the target resources each client needs (the desired state), in dependency order: what is
    /// created, what exists and is adopted, what waits for a person.
    Resources {
        #[arg(long)]
        client: Option<String>,
        /// A saved version instead of the current blueprint.
        #[arg(long)]
        version: Option<u32>,
        #[arg(long, conflicts_with = "version")]
        scan: Option<String>,
    },
    /// Give a client a display name.
    Rename { client: String, name: String },
    /// Move projects into a client (an existing one merges them; a new id splits them off).
    Assign {
        client: String,
        /// Project names, ids or account/Region/id keys.
        #[arg(required = true)]
        projects: Vec<String>,
    },
    /// List account-level resources with their owners, proposals and the reasons for them.
    Attributions {
        /// Only resources nobody owns yet.
        #[arg(long)]
        unassigned: bool,
    },
    /// Set who owns an account-level resource (its name, id or key).
    Attribute {
        #[arg(required_unless_present = "accept_all")]
        resource: Option<String>,
        /// An owning client (repeatable: a shared resource).
        #[arg(long = "client", value_name = "CLIENT", conflicts_with_all = ["accept", "accept_all"])]
        clients: Vec<String>,
        /// Confirm Pinshift's proposal as it is.
        #[arg(long, conflicts_with = "accept_all")]
        accept: bool,
        /// Confirm every proposal nobody reviewed yet.
        #[arg(long, conflicts_with = "resource")]
        accept_all: bool,
    },
    /// Override parts of a client's tenancy (Connect topology, SES reputation policy, tenant name).
    Set {
        client: String,
        /// dedicated | shared | messaging-only
        #[arg(long)]
        topology: Option<String>,
        /// standard | strict | none
        #[arg(long)]
        reputation: Option<String>,
        /// The SES tenant name (1–64 letters, digits, '-' and '_').
        #[arg(long)]
        tenant_name: Option<String>,
    },
    /// List decisions.
    Decisions {
        #[arg(long)]
        client: Option<String>,
        /// Only open and in-progress ones.
        #[arg(long)]
        open: bool,
    },
    /// Record a decision's owner, status, due date, choice or note.
    Decide {
        /// The decision id (or a unique prefix of it).
        id: String,
        /// open | in-progress | decided | not-applicable
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// YYYY-MM-DD (empty to clear).
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        choice: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// Who records it (defaults to $USER).
        #[arg(long, env = "USER", hide_env_values = true)]
        by: String,
    },
    /// Freeze the current blueprint as a new version (for sign-off).
    Save {
        #[arg(long, env = "USER", hide_env_values = true)]
        by: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List saved versions and sign-offs.
    Versions,
    /// Sign off a client's blueprint (the newest saved version by default).
    SignOff {
        client: String,
        /// Who signs off (a name; required).
        #[arg(long)]
        by: String,
        #[arg(long)]
        version: Option<u32>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// What changed since a client was signed off: resources, findings, plan.
    Drift {
        /// One client (all signed-off clients by default).
        #[arg(long)]
        client: Option<String>,
        /// The later scan (the newest finished scan by default).
        #[arg(long)]
        scan: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum IamPolicyCommand {
    /// The write policy the current blueprint's migration needs: only the successors it uses, the reads to
    /// verify, and an explicit deny on every Pinpoint write.
    Migrate {
        #[arg(long)]
        scan: Option<String>,
    },
    /// The read-only policy allowing exactly the calls a scan makes; with --audience-bucket and
    /// --audience-role, also what audience profiling needs (export jobs, passing that role, reading the
    /// export back).
    Scan {
        #[arg(long, value_name = "BUCKET", requires = "audience_role")]
        audience_bucket: Option<String>,
        #[arg(long, value_name = "ROLE_ARN", requires = "audience_bucket")]
        audience_role: Option<String>,
        #[arg(long, value_name = "PREFIX", default_value = "")]
        audience_prefix: String,
    },
}

/// Audience profiling: opt-in, with a bucket of the customer's and a role Pinpoint can write there with.
#[derive(Debug, Args)]
pub struct AudienceArgs {
    /// Profile each project's audience (counts per channel, attribute schema, opt-outs, missing UserIds,
    /// addresses shared across projects) from a Pinpoint endpoint export written to this S3 bucket (in
    /// the project's Region). Endpoints are read as a stream and not kept.
    #[arg(long, value_name = "BUCKET", requires = "audience_role", conflicts_with_all = ["from_dump", "resume"])]
    pub audience_bucket: Option<String>,
    /// The IAM role Pinpoint assumes to write the export (arn:aws:iam::ACCOUNT:role/NAME).
    #[arg(long, value_name = "ROLE_ARN", requires = "audience_bucket")]
    pub audience_role: Option<String>,
    /// Key prefix for the exports inside the bucket.
    #[arg(long, value_name = "PREFIX", default_value = "", requires = "audience_bucket")]
    pub audience_prefix: String,
}

impl AudienceArgs {
    pub fn settings(&self) -> Option<pinshift_core::scan::audience::ExportSettings> {
        Some(pinshift_core::scan::audience::ExportSettings {
            bucket: self.audience_bucket.clone()?,
            prefix: self.audience_prefix.clone(),
            role_arn: self.audience_role.clone()?,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum EstateCommand {
    /// List the scans stored in the engagement, newest first.
    List,
    /// Show a scan's resources and issues (the newest scan by default).
    Show {
        /// A scan id (or its first characters).
        scan: Option<String>,
        /// Only resources of this kind (project, segment, campaign, journey, template, …).
        #[arg(long)]
        kind: Option<String>,
    },
    /// Write a scan (resources with their raw payloads, and issues) as JSON.
    Export {
        /// A scan id (or its first characters); the newest scan by default.
        scan: Option<String>,
        /// Where to write it; stdout when absent.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
    },
    /// What changed between two scans: resources added, removed, and changed with field paths.
    Diff {
        /// The earlier scan.
        before: String,
        /// The later scan (the newest by default).
        after: Option<String>,
        /// Only resources of this kind.
        #[arg(long)]
        kind: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConnectionCommand {
    /// Add a connection: access keys (the secret is read from a prompt or stdin and stored only in the OS
    /// keychain), an AWS profile, or a role assumed from another connection.
    Add(AddConnection),
    /// List connections and whether each secret is in this machine's keychain (never the secret).
    List,
    /// Check a connection with STS GetCallerIdentity and print the account and ARN.
    Test {
        name: String,
        /// Region for the STS call (defaults to the connection's, then the AWS environment's).
        #[arg(long)]
        region: Option<String>,
    },
    /// Remove a connection and its keychain secret.
    Remove { name: String },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("kind").required(true).args(["access_key_id", "profile", "role_arn"])))]
pub struct AddConnection {
    /// A name for the connection, e.g. `acme-prod`.
    pub name: String,
    /// Access key id of an IAM user; the secret key is then read from the terminal or stdin.
    #[arg(long, value_name = "AKIA…")]
    pub access_key_id: Option<String>,
    /// A profile from ~/.aws/config (static keys, SSO or credential_process).
    #[arg(long)]
    pub profile: Option<String>,
    /// A role to assume, e.g. arn:aws:iam::123456789012:role/PinshiftScan (needs --source).
    #[arg(long, requires = "source")]
    pub role_arn: Option<String>,
    /// The connection whose credentials assume --role-arn.
    #[arg(long, requires = "role_arn")]
    pub source: Option<String>,
    /// External id the role's trust policy requires.
    #[arg(long, requires = "role_arn")]
    pub external_id: Option<String>,
    /// Default Region for this connection.
    #[arg(long)]
    pub region: Option<String>,
    /// Send this connection's AWS calls to another endpoint (a VPC or FIPS endpoint, or the local
    /// sandbox); otherwise the standard AWS environment (`AWS_ENDPOINT_URL`, …) decides.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// What a run would do, per client: create, adopt (exists and matches), differs (a decision), gates.
    Plan {
        /// A client (repeatable); every client of the version by default.
        #[arg(long = "client", value_name = "ID")]
        clients: Vec<String>,
        /// The blueprint version (the newest saved one by default).
        #[arg(long)]
        version: Option<u32>,
        /// The connection that reaches the target account (the only one by default).
        #[arg(long)]
        connection: Option<String>,
        /// The clients of a wave (`migrate waves` lists them), with any --client.
        #[arg(long, value_name = "NAME")]
        wave: Option<String>,
    },
    /// Create what the plan says, journaled; stops cleanly between steps on Ctrl-C.
    Apply {
        #[arg(long = "client", value_name = "ID")]
        clients: Vec<String>,
        #[arg(long, value_name = "NAME")]
        wave: Option<String>,
        #[arg(long)]
        version: Option<u32>,
        #[arg(long)]
        connection: Option<String>,
        /// Confirm writing to the account (the command names it and refuses without this).
        #[arg(long)]
        yes: bool,
        /// Apply clients nobody signed off on this version (needs --reason, which is journaled).
        #[arg(long, requires = "reason")]
        allow_unsigned: bool,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// Run even though another process holds the engagement (it was killed, or its machine is off).
        #[arg(long)]
        take_over: bool,
        /// How long to wait for what AWS creates asynchronously (a Connect instance, Outbound Campaigns
        /// onboarding) before leaving it pending; what needs it then waits for `migrate resume`.
        #[arg(long, value_name = "SECONDS", default_value_t = 900)]
        wait: u64,
        /// While steps wait for AWS or a third party (DNS records published, a registration's carrier
        /// review, an instance AWS is creating), read the target again every SECONDS and go on as each is
        /// done, until nothing waits or Ctrl-C.
        #[arg(long, value_name = "SECONDS")]
        poll: Option<u64>,
    },
    /// Continue the run that stopped or crashed: steps whose create has no outcome are read back first.
    Resume {
        /// Take the engagement from a process that was killed without releasing it.
        #[arg(long)]
        take_over: bool,
        /// As for apply: how long to wait for what AWS creates asynchronously.
        #[arg(long, value_name = "SECONDS", default_value_t = 900)]
        wait: u64,
        /// As for apply: read again every SECONDS while steps wait for AWS or a third party.
        #[arg(long, value_name = "SECONDS")]
        poll: Option<u64>,
    },
    /// Remove what runs created (never what was adopted, never a Pinpoint resource), newest first.
    Rollback {
        #[arg(long = "client", value_name = "ID")]
        clients: Vec<String>,
        /// Only this step (a resource id as `journal show` prints it).
        #[arg(long)]
        step: Option<String>,
        /// Also delete Connect instances Pinshift created (AWS limits instance creations and deletions
        /// per 30 days).
        #[arg(long)]
        include_connect_instances: bool,
        #[arg(long)]
        connection: Option<String>,
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        take_over: bool,
    },
    /// Read back what runs created or adopted and compare it with the blueprint version: every resource's
    /// settings and tags, each template rendered by the target (TestRenderEmailTemplate,
    /// RenderMessageTemplate) against Pinpoint's render, segment estimates against Pinpoint's sizes.
    /// The result is stored and goes into the reports.
    Verify {
        #[arg(long = "client", value_name = "ID")]
        clients: Vec<String>,
        #[arg(long, value_name = "NAME")]
        wave: Option<String>,
        /// The blueprint version (the newest run's by default).
        #[arg(long)]
        version: Option<u32>,
        #[arg(long)]
        connection: Option<String>,
    },
    /// The waves clients migrate in (saved, or Pinshift's proposal: a pilot of 3–5 clients first) with
    /// each client's status. Change them with --accept, --set or --remove.
    Waves {
        /// Save the proposal as it is.
        #[arg(long, conflicts_with_all = ["set", "remove"])]
        accept: bool,
        /// Create or replace the wave NAME with --clients (they leave any other wave).
        #[arg(long, value_name = "NAME", requires = "clients", conflicts_with = "remove")]
        set: Option<String>,
        /// The clients of --set, comma-separated.
        #[arg(long, value_name = "IDS", value_delimiter = ',')]
        clients: Vec<String>,
        /// With --set: the wave is the pilot (it goes first).
        #[arg(long, requires = "set")]
        pilot: bool,
        /// Remove the wave NAME (its clients are in no wave until set again).
        #[arg(long, value_name = "NAME")]
        remove: Option<String>,
        /// The blueprint version whose clients the waves hold (the newest saved one by default).
        #[arg(long)]
        version: Option<u32>,
    },
    /// Record that a person did what a gate asked.
    Gate {
        /// The step (a resource id as `migrate plan --json` or `journal show` prints it).
        step: String,
        /// Who did it.
        #[arg(long)]
        by: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AudienceCommand {
    /// Transform endpoint exports locally (nothing is sent anywhere): profile objects, the object type they
    /// need, opted-out numbers, suppressed addresses, excluded endpoints, unreadable lines and the
    /// reconciliation, as files in --out.
    Transform {
        /// Export pieces: files or folders (searched recursively; gzip or plain JSON lines, Pinpoint's
        /// import CSV; recognised by content). Repeatable.
        #[arg(long = "from", value_name = "PATH", required = true)]
        from: Vec<PathBuf>,
        /// A folder that does not exist yet (or is empty).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Leave inactive endpoints out of the profiles (counted; their opt-outs are still carried).
        #[arg(long)]
        exclude_inactive: bool,
        /// The client whose audience this is, for a Customer Profiles domain several clients share:
        /// prefixes profile keys and sets the pinshift_client attribute.
        #[arg(long, value_name = "ID")]
        client: Option<String>,
        /// Threads (default: every core).
        #[arg(long)]
        workers: Option<usize>,
    },
    /// Load a client's audience into its Customer Profiles domain, SMS opt-out list and SES tenant's
    /// suppression list (the client must be applied first). Resumable: run it again with the same input
    /// after Ctrl-C or a crash and it goes on where it stopped, without duplicating a profile.
    Load {
        /// The client.
        #[arg(long, value_name = "ID")]
        client: String,
        /// Export pieces: files, folders (as for `transform`) or s3://BUCKET/PREFIX/ (downloaded first).
        /// Repeatable. Recorded as the client's audience source; without it, the recorded source (or the
        /// export the scan's audience profiling wrote) is loaded.
        #[arg(long = "from", value_name = "PATH")]
        from: Vec<PathBuf>,
        /// Leave inactive endpoints out of the profiles (counted; their opt-outs are still carried).
        #[arg(long)]
        exclude_inactive: bool,
        /// Load although some lines or pieces could not be read (named in problems.csv); the reason is
        /// journaled.
        #[arg(long, value_name = "REASON")]
        accept_problems: Option<String>,
        /// The connection to the client's target account (the engagement's only one by default).
        #[arg(long, value_name = "NAME")]
        connection: Option<String>,
        /// The blueprint version (the newest by default).
        #[arg(long)]
        version: Option<u32>,
        /// Calls in flight at once (each operation is also paced under its rate).
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Take the engagement's lease from a process that did not release it.
        #[arg(long)]
        take_over: bool,
    },
    /// Where a client's audience comes from, so that `migrate apply` loads it once the client's
    /// resources are applied (and `audience load --client ID` needs no --from). Without --from or
    /// --clear: every client's source (recorded, or the scan's export).
    Source {
        /// The client (required with --from or --clear).
        #[arg(long, value_name = "ID", required_if_eq_any = [("clear", "true")])]
        client: Option<String>,
        /// Export pieces: files, folders or s3://BUCKET/PREFIX/. Repeatable.
        #[arg(long = "from", value_name = "PATH", requires = "client")]
        from: Vec<String>,
        /// Leave inactive endpoints out of the profiles (counted; their opt-outs are still carried).
        #[arg(long, requires = "from")]
        exclude_inactive: bool,
        /// Load although some lines or pieces could not be read; the reason is journaled.
        #[arg(long, value_name = "REASON", requires = "from")]
        accept_problems: Option<String>,
        /// Forget the client's recorded source (runs then load the scan's export, if any, or nothing).
        #[arg(long, conflicts_with = "from", requires = "client")]
        clear: bool,
        /// The blueprint version whose clients are listed (the newest by default).
        #[arg(long)]
        version: Option<u32>,
    },
    /// Delete the work folders of loads (the transforms and downloaded exports beside the engagement
    /// file, which hold end users' addresses) once they are no longer needed to resume.
    Clean {
        /// Only this client (every client by default).
        #[arg(long, value_name = "ID")]
        client: Option<String>,
    },
    /// Compare each client's last load with what the target holds now: endpoints read and where they
    /// went, profiles written and in the domain, opt-outs and suppressions written and listed.
    Reconcile {
        /// Only this client (every loaded client by default).
        #[arg(long, value_name = "ID")]
        client: Option<String>,
        /// The connection to the target account.
        #[arg(long, value_name = "NAME")]
        connection: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// The rows, oldest first.
    Show {
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        run: Option<String>,
    },
    /// Check the hash chain; names the first row that breaks it.
    Verify,
    /// Every row with its hashes, for an auditor (docs/journal.md shows the check).
    Export {
        /// jsonl | csv
        #[arg(long, default_value = "jsonl")]
        format: String,
        /// The file to write (stdout by default).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}
