//! The audience transform: endpoints from gzip and plain JSON-lines pieces and Pinpoint's CSV grouped into
//! profiles by UserId (never dropping one without), opt-outs carried, bad input named by file and line,
//! every endpoint accounted for.

use std::io::Write;
use std::path::{Path, PathBuf};

use pinshift_core::audience::input::{Format, discover};
use pinshift_core::audience::transform::{self, Options};
use serde_json::{Value, json};

fn gz(path: &Path, lines: &[Value]) {
    let file = std::fs::File::create(path).expect("create");
    let mut w = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    for l in lines {
        writeln!(w, "{l}").expect("write");
    }
    w.finish().expect("finish");
}

fn endpoint(id: &str, channel: &str, address: &str, user: Option<&str>) -> Value {
    let mut e =
        json!({ "Id": id, "ChannelType": channel, "Address": address, "EndpointStatus": "ACTIVE", "OptOut": "NONE" });
    if let Some(u) = user {
        e["User"] =
            json!({ "UserId": u, "UserAttributes": { "FirstName": ["Ann"], "favourite colour": ["red", "blue"] } });
    }
    e
}

fn profiles(dir: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir.join("profiles")).expect("profiles").map(|e| e.expect("entry").path()).collect();
    files.sort();
    for f in files {
        for line in std::fs::read_to_string(f).expect("read").lines() {
            out.push(serde_json::from_str(line).expect("a profile object"));
        }
    }
    out.sort_by(|a: &Value, b: &Value| a["ProfileKey"].as_str().cmp(&b["ProfileKey"].as_str()));
    out
}

fn lines(path: &Path) -> Vec<String> {
    let mut l: Vec<String> = std::fs::read_to_string(path).expect("read").lines().map(str::to_owned).collect();
    l.sort();
    l
}

#[test]
fn endpoints_become_profiles_by_user_and_every_one_is_accounted_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("export/job-1");
    std::fs::create_dir_all(&export).expect("mkdir");
    let mut opted = endpoint("e3", "SMS", "+1 206 555 0100", Some("u1"));
    opted["OptOut"] = json!("ALL");
    let mut opted_email = endpoint("e5", "EMAIL", "Bo@Example.com", None);
    opted_email["OptOut"] = json!("ALL");
    let mut inactive = endpoint("e6", "EMAIL", "old@example.com", Some("u2"));
    inactive["EndpointStatus"] = json!("INACTIVE");
    let mut located = endpoint("e1", "EMAIL", "ann@example.com", Some("u1"));
    located["Location"] = json!({ "City": "Austin", "Country": "US", "Latitude": 30.2 });
    located["Attributes"] = json!({ "tier": ["gold"] });
    located["Metrics"] = json!({ "visits": 3.0 });
    gz(
        &export.join("part-0.gz"),
        &[
            located,
            endpoint("e2", "EMAIL", "ann.work@example.com", Some("u1")),
            opted,
            endpoint("e4", "GCM", "token-abc", Some("u1")),
        ],
    );
    gz(
        &export.join("part-1.gz"),
        &[
            opted_email,
            inactive,
            endpoint("e7", "SMS", "2065550199", Some("u2")),
            // The same endpoint twice (two exports of one job given together).
            endpoint("e1", "EMAIL", "ann@example.com", Some("u1")),
        ],
    );
    std::fs::write(export.join("manifest.txt"), "written by the export job\n").expect("write");
    std::fs::write(
        dir.path().join("import.csv"),
        "ChannelType,Address,Id,User.UserId,Attributes.tier,OptOut\nEMAIL,cara@example.com,c1,u3,silver,NONE\nSMS,+442071838750,c2,,,ALL\n",
    )
    .expect("write");

    let (pieces, skipped) = discover(&[dir.path().join("export"), dir.path().join("import.csv")]).expect("discover");
    assert_eq!(pieces.len(), 3, "{pieces:#?}");
    assert_eq!(pieces.iter().filter(|p| p.format == Format::Csv).count(), 1);
    assert_eq!(skipped.len(), 1, "the manifest is not an export: {skipped:#?}");
    let out = dir.path().join("out");
    let result =
        transform::transform(&pieces, &out, &Options { exclude_inactive: true, ..Options::default() }, &|_| {})
            .expect("transform");
    let rec = &result.reconciliation;
    assert!(rec.holds(), "{rec:#?}");
    assert!(!rec.has_problems(), "{rec:#?}");
    assert_eq!(rec.endpoints_read, 10);
    assert_eq!((rec.invalid_address, rec.inactive_excluded, rec.duplicate), (1, 1, 1), "{rec:#?}");
    assert_eq!(rec.in_profiles, 7);

    let all = profiles(&out);
    assert_eq!(rec.profiles, all.len() as u64);
    // u1: two emails into the first two email fields, the phone, the push token as an attribute.
    let u1 = all.iter().find(|p| p["AccountNumber"] == "u1").expect("u1's profile");
    assert_eq!(u1["EmailAddress"], "ann@example.com");
    assert_eq!(u1["PersonalEmailAddress"], "ann.work@example.com");
    assert_eq!(u1["PhoneNumber"], "+12065550100");
    assert_eq!(u1["Address"], json!({ "City": "Austin", "Country": "US" }));
    assert_eq!(u1["Attributes"]["pinpoint_gcm_1"], "token-abc");
    assert_eq!(u1["Attributes"]["FirstName"], "Ann");
    assert_eq!(u1["Attributes"]["favourite_colour"], "red,blue", "a list kept, its name made valid");
    assert_eq!(u1["Attributes"]["tier"], "gold");
    assert_eq!(u1["Attributes"]["Metrics_visits"], "3");
    assert_eq!(u1["Attributes"]["pinpoint_endpoints"], "4");
    assert_eq!(u1["Attributes"]["pinpoint_opted_out"], "SMS");
    assert_eq!(rec.renamed_attributes.get("favourite colour").map(String::as_str), Some("favourite_colour"));
    // An endpoint without a UserId is a profile of its own, never dropped.
    let lone: Vec<&Value> = all.iter().filter(|p| p.get("AccountNumber").is_none()).collect();
    assert_eq!(lone.len(), 2, "{all:#?}");
    assert_eq!(rec.profiles_without_user_id, 2);
    // u2's only active endpoint had an invalid number: no profile for u2 (both are in excluded.csv).
    assert!(all.iter().all(|p| p["AccountNumber"] != "u2"), "{all:#?}");
    let excluded = lines(&out.join("excluded.csv"));
    assert_eq!(excluded.len(), 4, "{excluded:#?}");
    assert!(excluded.iter().any(|l| l.contains(",e7,SMS,invalid address")), "{excluded:#?}");
    assert!(excluded.iter().any(|l| l.contains(",e6,EMAIL,inactive")), "{excluded:#?}");
    assert!(excluded.iter().any(|l| l.contains(",e1,EMAIL,duplicate")), "{excluded:#?}");

    // Opt-outs: every opted-out address, once each.
    assert_eq!(lines(&out.join("opted-out-numbers.txt")), ["+12065550100", "+442071838750"]);
    assert_eq!(lines(&out.join("suppressed-addresses.txt")), ["bo@example.com"]);
    assert_eq!((rec.opt_outs.sms_endpoints, rec.opt_outs.sms_numbers), (2, 2));
    assert_eq!((rec.opt_outs.email_endpoints, rec.opt_outs.email_addresses), (1, 1));

    // The object type: a field per path written, keyed by ProfileKey.
    let object_type: Value =
        serde_json::from_slice(&std::fs::read(out.join("object-type.json")).expect("read")).expect("json");
    assert_eq!(object_type["Fields"]["Attributes.tier"]["Target"], "_profile.Attributes.tier");
    assert_eq!(object_type["Fields"]["EmailAddress"]["ContentType"], "EMAIL_ADDRESS");
    assert_eq!(object_type["Keys"]["ProfileKey"][0]["StandardIdentifiers"], json!(["PROFILE", "UNIQUE"]));

    // The output folder is never overwritten.
    let again = transform::transform(&pieces, &out, &Options::default(), &|_| {});
    assert!(again.is_err_and(|e| e.to_string().contains("already exists")));
}

#[test]
fn bad_input_is_named_by_file_and_line_counted_and_the_rest_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good: Vec<Value> =
        (0..2000).map(|i| endpoint(&format!("e{i}"), "EMAIL", &format!("a{i}@example.com"), None)).collect();
    gz(&dir.path().join("whole.gz"), &good);
    // A truncated gzip piece: the export copied half-way.
    let full = std::fs::read(dir.path().join("whole.gz")).expect("read");
    std::fs::write(dir.path().join("truncated.gz"), &full[..full.len() / 2]).expect("write");
    std::fs::write(
        dir.path().join("bad.jsonl"),
        format!(
            "{}\n{{not json\n{}\n{}\n",
            endpoint("x1", "SMS", "+12065550111", None),
            json!({ "ChannelType": "SMS", "Address": "+12065550112" }),
            json!({ "Id": "x3", "Address": "+12065550113" })
        ),
    )
    .expect("write");
    let (pieces, _) = discover(&[dir.path().to_owned()]).expect("discover");
    assert_eq!(pieces.len(), 3);
    let out = dir.path().join("out");
    let result = transform::transform(&pieces, &out, &Options::default(), &|_| {}).expect("transform");
    let rec = &result.reconciliation;
    assert!(rec.has_problems());
    assert!(rec.holds(), "{rec:#?}");
    assert_eq!(rec.unreadable_lines, 3, "{rec:#?}");
    assert_eq!(rec.damaged_pieces, 1, "{rec:#?}");
    let problems = std::fs::read_to_string(out.join("problems.csv")).expect("problems");
    let bad = dir.path().join("bad.jsonl").display().to_string();
    assert!(problems.contains(&format!("{bad},2,not valid JSON")), "{problems}");
    assert!(problems.contains(&format!("{bad},3,an endpoint without Id")), "{problems}");
    assert!(problems.contains(&format!("{bad},4,an endpoint without ChannelType")), "{problems}");
    assert!(problems.contains("truncated.gz,0,the piece cannot be read past line"), "{problems}");
    // What the truncated piece held before it breaks is read.
    assert!(rec.endpoints_read > 2001 && rec.endpoints_read < 4001, "{rec:#?}");
}

#[test]
fn a_client_in_a_shared_domain_gets_its_own_profile_keys_and_partition_attribute() {
    let dir = tempfile::tempdir().expect("tempdir");
    gz(&dir.path().join("p.gz"), &[endpoint("e1", "EMAIL", "ann@example.com", Some("u1"))]);
    let (pieces, _) = discover(&[dir.path().join("p.gz")]).expect("discover");
    let out = dir.path().join("out");
    let options = Options { client: Some("acme".into()), partitions: Some(1), workers: Some(1), ..Options::default() };
    transform::transform(&pieces, &out, &options, &|_| {}).expect("transform");
    let all = profiles(&out);
    assert_eq!(all[0]["ProfileKey"], "acme#u#u1");
    assert_eq!(all[0]["Attributes"]["pinshift_client"], "acme");
}
