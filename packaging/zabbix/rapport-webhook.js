// Rapport webhook for Zabbix 6.0+ (media type "Rapport"): posts each trigger event to
// POST {rapport_url}/integrations/zabbix with the media's API token. A problem opens a fault of
// the site its site tag names (rapportd's integrations.zabbix_site_tag, default "site"), the
// recovery resolves it, updates change nothing there.
var Rapport = {
    // A macro Zabbix left unexpanded (such as {EVENT.RECOVERY.ID} on a problem event).
    isMacro: function (text) {
        return typeof text !== 'string' || text === '' || /^\{[A-Z0-9_.]+\}$/.test(text);
    },

    integer: function (params, name) {
        var text = params[name];
        if (Rapport.isMacro(text)) {
            return undefined;
        }
        if (!/^[0-9]+$/.test(String(text))) {
            throw 'parameter "' + name + '" is not a number: ' + text;
        }
        return parseInt(text, 10);
    },

    tags: function (text) {
        if (Rapport.isMacro(text)) {
            return [];
        }
        var parsed = JSON.parse(text);
        return Array.isArray(parsed) ? parsed : [];
    },

    event: function (params) {
        var event = {
            event_id: String(params.event_id),
            event_value: Rapport.integer(params, 'event_value'),
            event_update_status: Rapport.integer(params, 'event_update_status') || 0,
            event_timestamp: Rapport.integer(params, 'event_timestamp'),
            event_name: Rapport.isMacro(params.event_name) ? '' : params.event_name,
            event_nseverity: Rapport.integer(params, 'event_nseverity'),
            host: Rapport.isMacro(params.host) ? '' : params.host,
            tags: Rapport.tags(params.event_tags)
        };
        var recovery = Rapport.integer(params, 'recovery_timestamp');
        if (recovery !== undefined) {
            event.recovery_timestamp = recovery;
        }
        if (!Rapport.isMacro(params.recovery_event_id)) {
            event.recovery_event_id = String(params.recovery_event_id);
        }
        return event;
    },

    post: function (params, event) {
        var request = new HttpRequest();
        request.addHeader('Content-Type: application/json');
        request.addHeader('Authorization: Bearer ' + params.rapport_token);
        if (typeof params.http_proxy === 'string' && params.http_proxy !== '') {
            request.setProxy(params.http_proxy);
        }
        var url = params.rapport_url.replace(/\/+$/, '') + '/integrations/zabbix';
        var response = request.post(url, JSON.stringify(event));
        var status = request.getStatus();
        if (status !== 200) {
            throw 'Rapport answered HTTP ' + status + ': ' + response;
        }
        return response;
    }
};

try {
    var params = JSON.parse(value);
    if (Rapport.isMacro(params.rapport_url) || Rapport.isMacro(params.rapport_token) ||
            /^<PLACE/.test(params.rapport_url) || /^<PLACE/.test(params.rapport_token)) {
        throw 'set the media type parameters rapport_url and rapport_token';
    }
    if (params.event_source !== '0') {
        Zabbix.log(4, '[Rapport webhook] skipped event source ' + params.event_source);
        return 'OK';
    }
    var answer = Rapport.post(params, Rapport.event(params));
    Zabbix.log(4, '[Rapport webhook] event ' + params.event_id + ': ' + answer);
    return 'OK';
}
catch (error) {
    Zabbix.log(3, '[Rapport webhook] failed: ' + error);
    throw 'Sending to Rapport failed: ' + error;
}
