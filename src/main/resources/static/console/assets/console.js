// smp console: the copy buttons, the only thing that needs script. Everything else works without it.
(function () {
	'use strict';
	function setUp() {
		document.querySelectorAll('button[data-copy]').forEach(function (button) {
			var source = document.getElementById(button.getAttribute('data-copy'));
			if (!source || !navigator.clipboard) {
				return;
			}
			button.hidden = false;
			button.addEventListener('click', function () {
				navigator.clipboard.writeText(source.textContent.trim()).then(function () {
					var status = document.getElementById(button.getAttribute('data-copy') + '-status');
					if (status) {
						status.textContent = 'Copied to the clipboard.';
					}
				});
			});
		});
	}
	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', setUp);
	}
	else {
		setUp();
	}
}());
