// "Close" on a carried-forward action in the minutes editor: one POST of its own, sent with fetch().
// The button is type="button" inside Wagtail's page edit form, so it never submits (or leaves) that form:
// whatever the secretariat has typed into the minutes stays in the fields, unsaved, as it was.
(function () {
  "use strict";

  function csrfToken() {
    // The edit form's token (the CSRF cookie is HttpOnly in production).
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function say(button, text) {
    var panel = button.closest(".meeting-actions") || document;
    var region = panel.querySelector("[data-boards-close-message]");
    if (region) {
      region.textContent = text;
    }
  }

  function refusal(response, reference) {
    if (response.status === 403) {
      return "You may not close " + reference + ".";
    }
    if (response.status === 404) {
      return reference + " was not found: it may have been removed, or it is not yours to close.";
    }
    return "Could not close " + reference + " (HTTP " + response.status + "). Try again, or reload the page.";
  }

  function showClosed(button, data) {
    var row = button.closest("tr");
    if (row) {
      var status = row.querySelector("[data-boards-action-status]");
      if (status) {
        status.textContent = data.status_display;
      }
      var latest = row.querySelector("[data-boards-action-latest]");
      if (latest && data.note) {
        latest.textContent = data.updated_on + ": " + data.note;
      }
    }
    var done = document.createElement("strong");
    done.textContent = "Closed";
    button.replaceWith(done);
  }

  async function close(button) {
    var reference = button.textContent.replace(/^\s*Close\s*/, "").trim();
    button.disabled = true;
    var body = new URLSearchParams();
    if (button.dataset.meeting) {
      body.set("meeting", button.dataset.meeting);
    }
    try {
      var response = await fetch(button.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        // X-Requested-With: Wagtail then answers a refusal with 403 instead of a redirect to the dashboard.
        headers: {
          Accept: "application/json",
          "X-CSRFToken": csrfToken(),
          "X-Requested-With": "XMLHttpRequest",
        },
        body: body,
      });
      var type = response.headers.get("Content-Type") || "";
      var data = type.indexOf("application/json") === 0 ? await response.json() : null;
      if (!response.ok || !data) {
        // A signed-out session is redirected to the login page: HTML, not JSON.
        say(button, data && data.error ? data.error : refusal(response, reference));
        button.disabled = false;
        return;
      }
      showClosed(button, data);
      say(button, data.message);
    } catch (error) {
      say(button, "Could not close " + reference + ": the server did not answer. Try again.");
      button.disabled = false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-boards-close-action]");
    if (!button || button.disabled) {
      return;
    }
    event.preventDefault();
    close(button);
  });
})();
