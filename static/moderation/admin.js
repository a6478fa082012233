// After a refused save, focus the first field with an error: Django ties the error to the field
// (aria-describedby), so a screen reader reads it. This runs on "load", after the admin's own
// change_form.js has put focus on the form's first field.
window.addEventListener("load", function () {
  var invalid = document.querySelector('#content [aria-invalid="true"]');
  if (invalid) { invalid.focus(); }
});
