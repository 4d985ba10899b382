//! End User Messaging SMS-voice v2 through the unmodified aws-sdk-pinpointsmsvoicev2 client.

use aws_sdk_pinpointsmsvoicev2::Client;
use aws_sdk_pinpointsmsvoicev2::error::ProvideErrorMetadata;
use aws_sdk_pinpointsmsvoicev2::types::{
    MessageType, NumberCapability, NumberStatus, PhoneNumberFilter, PhoneNumberFilterName, RequestableNumberType,
};
use pinshift_sandbox::{Estate, RunningSandbox};

use crate::control::control;
use crate::start;

/// A client with the sandbox's quotas off: these tests are about behaviour, and End User Messaging's
/// creates run at 1/s (`rates_are_per_operation_as_aws_publishes_them` checks that).
async fn client(sandbox: &RunningSandbox, key: &str, secret: &str) -> Client {
    sandbox.state.quotas.set_enabled(false);
    Client::new(&sandbox.sdk_config(key, secret).await)
}

#[tokio::test]
async fn numbers_pend_until_registered_and_requests_are_idempotent() {
    let sandbox = start().await;
    let sms = client(&sandbox, "AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let request = || {
        sms.request_phone_number()
            .iso_country_code("US")
            .message_type(MessageType::Transactional)
            .number_capabilities(NumberCapability::Sms)
            .number_type(RequestableNumberType::TollFree)
            .client_token("token-1")
    };
    let first = request().send().await.expect("RequestPhoneNumber");
    let again = request().send().await.expect("same token");
    assert_eq!(first.phone_number_id(), again.phone_number_id(), "ClientToken makes the request idempotent");
    assert_eq!(first.status(), Some(&NumberStatus::Pending));
    let id = first.phone_number_id().expect("id").to_owned();

    let path = format!("/_sandbox/sms/222222222222/us-east-1/phone-numbers/{id}/activate");
    assert_eq!(control(&sandbox, "POST", &path, "").await.0, 204);
    let described = sms.describe_phone_numbers().phone_number_ids(&id).send().await.expect("describe");
    assert_eq!(described.phone_numbers()[0].status(), &NumberStatus::Active);
    assert_eq!(described.phone_numbers()[0].opt_out_list_name(), "Default");

    let missing = sms.describe_phone_numbers().phone_number_ids("phone-nope").send().await.expect_err("missing");
    assert_eq!(missing.code(), Some("ResourceNotFoundException"));

    sms.create_opt_out_list().opt_out_list_name("client-a").send().await.expect("list");
    sms.put_opted_out_number()
        .opt_out_list_name("client-a")
        .opted_out_number("+12065550100")
        .send()
        .await
        .expect("opt out");
    let numbers = sms.describe_opted_out_numbers().opt_out_list_name("client-a").send().await.expect("numbers");
    assert_eq!(numbers.opted_out_numbers()[0].opted_out_number(), "+12065550100");
    let invalid = sms.put_opted_out_number().opt_out_list_name("client-a").opted_out_number("12345").send().await;
    assert_eq!(invalid.expect_err("not E.164").code(), Some("ValidationException"));
    let conflict = sms.create_opt_out_list().opt_out_list_name("client-a").send().await.expect_err("exists");
    assert_eq!(conflict.code(), Some("ConflictException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn the_sample_estate_has_pools_opt_outs_and_registrations() {
    let sandbox = RunningSandbox::start(Estate::load("sample").expect("estate"), 0).await.expect("start");
    let sms = client(&sandbox, "AKIASANDBOXBPO000001", "sandbox/bpo/secret/key/00000000000000001").await;

    let numbers = sms.describe_phone_numbers().send().await.expect("numbers");
    assert_eq!(numbers.phone_numbers().len(), 3);
    let pending = sms
        .describe_phone_numbers()
        .filters(
            PhoneNumberFilter::builder().name(PhoneNumberFilterName::Status).values("PENDING").build().expect("filter"),
        )
        .send()
        .await
        .expect("filtered");
    assert_eq!(pending.phone_numbers().len(), 1, "the 10DLC number waits for its registration");

    let pools = sms.describe_pools().send().await.expect("pools");
    let pool = &pools.pools()[0];
    let members = sms.list_pool_origination_identities().pool_id(pool.pool_id()).send().await.expect("members");
    assert_eq!(members.origination_identities().len(), 2, "the toll-free number and the ACME sender ID");

    let lists = sms.describe_opt_out_lists().send().await.expect("lists");
    let mut names: Vec<&str> = lists.opt_out_lists().iter().map(|l| l.opt_out_list_name()).collect();
    names.sort();
    assert_eq!(names, ["Default", "acme-promotional", "globex-otp"]);
    let mut opted_out = 0;
    let mut token = None;
    loop {
        let page = sms
            .describe_opted_out_numbers()
            .opt_out_list_name("acme-promotional")
            .max_results(50)
            .set_next_token(token)
            .send()
            .await
            .expect("page");
        opted_out += page.opted_out_numbers().len();
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(opted_out, 120, "every generated opt-out, over three pages");

    let sets = sms.describe_configuration_sets().send().await.expect("sets");
    assert_eq!(sets.configuration_sets()[0].event_destinations().len(), 1);
    let registrations = sms.describe_registrations().send().await.expect("registrations");
    assert_eq!(registrations.registrations().len(), 2);
    let senders = sms.describe_sender_ids().send().await.expect("sender ids");
    assert_eq!(senders.sender_ids()[0].sender_id(), "ACME");
    sandbox.stop().await;
}

#[tokio::test]
async fn pools_sender_ids_configuration_sets_and_release() {
    let sandbox = start().await;
    let sms = client(&sandbox, "AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await;
    let number = sms
        .request_phone_number()
        .iso_country_code("US")
        .message_type(MessageType::Promotional)
        .number_capabilities(NumberCapability::Sms)
        .number_type(RequestableNumberType::Simulator)
        .send()
        .await
        .expect("RequestPhoneNumber");
    assert_eq!(number.status(), Some(&NumberStatus::Active), "simulator numbers need no registration");
    let number_id = number.phone_number_id().expect("id").to_owned();
    let sender =
        sms.request_sender_id().sender_id("CLIENTA").iso_country_code("GB").send().await.expect("RequestSenderId");
    assert_eq!(sender.sender_id(), "CLIENTA");
    let pool = sms
        .create_pool()
        .origination_identity(&number_id)
        .iso_country_code("US")
        .message_type(MessageType::Promotional)
        .send()
        .await
        .expect("CreatePool");
    let pool_id = pool.pool_id().expect("pool").to_owned();
    let associated = sms
        .associate_origination_identity()
        .pool_id(&pool_id)
        .origination_identity(sender.sender_id_arn())
        .send()
        .await
        .expect("AssociateOriginationIdentity");
    assert_eq!(associated.origination_identity(), Some("CLIENTA"));
    let members = sms.list_pool_origination_identities().pool_id(&pool_id).send().await.expect("members");
    assert_eq!(members.origination_identities().len(), 2);

    sms.create_configuration_set().configuration_set_name("client-a").send().await.expect("CreateConfigurationSet");
    let destination = sms
        .create_event_destination()
        .configuration_set_name("client-a")
        .event_destination_name("logs")
        .matching_event_types(aws_sdk_pinpointsmsvoicev2::types::EventType::All)
        .cloud_watch_logs_destination(
            aws_sdk_pinpointsmsvoicev2::types::CloudWatchLogsDestination::builder()
                .iam_role_arn("arn:aws:iam::222222222222:role/logs")
                .log_group_arn("arn:aws:logs:us-east-1:222222222222:log-group:sms")
                .build()
                .expect("destination"),
        )
        .send()
        .await
        .expect("CreateEventDestination");
    assert_eq!(destination.event_destination().map(|d| d.event_destination_name()), Some("logs"));

    let released = sms.release_phone_number().phone_number_id(&number_id).send().await.expect("ReleasePhoneNumber");
    assert_eq!(released.status(), Some(&NumberStatus::Deleted));
    let missing = sms.release_phone_number().phone_number_id(&number_id).send().await.expect_err("already released");
    assert_eq!(missing.code(), Some("ResourceNotFoundException"));
    sandbox.stop().await;
}

#[tokio::test]
async fn rates_are_per_operation_as_aws_publishes_them() {
    let sandbox = start().await;
    let sms = Client::from_conf(
        aws_sdk_pinpointsmsvoicev2::config::Builder::from(
            &sandbox.sdk_config("AKIASANDBOXCLIENTA01", "sandbox/client-a/secret/key/00000000001").await,
        )
        .retry_config(aws_sdk_pinpointsmsvoicev2::config::retry::RetryConfig::disabled())
        .build(),
    );
    sms.create_opt_out_list().opt_out_list_name("a").send().await.expect("first create");
    let second = sms.create_opt_out_list().opt_out_list_name("b").send().await.expect_err("1/s");
    assert_eq!(second.code(), Some("ThrottlingException"));
    for _ in 0..5 {
        sms.describe_opt_out_lists().send().await.expect("reads are not throttled here");
    }
    sms.put_opted_out_number().opt_out_list_name("a").opted_out_number("+12065550100").send().await.expect("put");
    sandbox.stop().await;
}
