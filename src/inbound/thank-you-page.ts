/** The page a browser lands on after posting a form that has no `thankYouUrl`. */
export const THANK_YOU_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Thank you – message received</title>
    <style>
      body { font: 1.125rem/1.6 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fafafa; }
      main { max-width: 36rem; margin: 15vh auto; padding: 0 1.5rem; }
      h1 { font-size: 1.75rem; }
    </style>
  </head>
  <body>
    <main>
      <h1>Thank you</h1>
      <p role="status">We received your message and will get back to you soon.</p>
      <p>You can close this page or go back to the site you came from.</p>
    </main>
  </body>
</html>
`
